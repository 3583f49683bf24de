package dev.seb.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chart's webhook registrations and ValidatingAdmissionPolicies are exactly what {@link
 * ChartAdmissionTemplates} generates from {@link AdmissionRegistration#forPolicy} and {@code
 * BoundaryPolicies}, match conditions and CEL included, so the chart and the local stack cannot
 * drift apart; the values in them are checked by the admission-webhook's ChartAdmissionValuesTest.
 * After changing the registrations, run {@code ./mvnw -pl local-stack -am test
 * -Dtest=ChartRegistrationDriftTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dseb.chart.update=true} and commit.
 */
class ChartRegistrationDriftTest {

  private static final Path COMMITTED =
      Path.of("..", "charts", "seb", "templates", "admission-webhook-registration.yaml");

  private static final String HEADER =
      """
      # Generated from ChartAdmissionTemplates (local-stack/); do not edit. The admission webhook's
      # registrations: the protected-namespace guard (every operation on every resource and
      # subresource in protected namespaces; match conditions leave out what it admits plainly:
      # execution identities, the broker's minted RBAC, the cluster's own components), seb's own
      # kinds and their status (not called for the broker's records, nor
      # for status written by the seb component that owns it), the guard (the broker's own writes
      # outside protected namespaces, the protection label), and the submitter stamp on proposals.
      # All fail closed. The groups, users, exemptions and namespace come from the chart's values
      # (_admission.tpl), the clientConfig and caBundle from _tls.tpl.
      """;

  static String generated() {
    return HEADER + ChartAdmissionTemplates.registrations();
  }

  @Test
  void chartRegistrations_equalGeneratedOnes() throws IOException {
    String generated = generated();
    if (Boolean.getBoolean("seb.chart.update")) {
      Files.writeString(COMMITTED, generated);
    }
    assertThat(Files.readString(COMMITTED))
        .as(
            "%s differs from AdmissionRegistration.forService; regenerate with -Dseb.chart.update=true",
            COMMITTED)
        .isEqualTo(generated);
  }

  private static final Path COMMITTED_POLICIES =
      Path.of("..", "charts", "seb", "templates", "validating-admission-policy.yaml");

  private static final String POLICIES_HEADER =
      """
      # Generated from BoundaryPolicies.forPolicy (contracts/) by ChartAdmissionTemplates
      # (local-stack/); do not edit. seb's second admission
      # layer: ValidatingAdmissionPolicies the API server evaluates itself, with the same rules as
      # the admission webhook: protected namespaces are default-deny (every CREATE, UPDATE, DELETE
      # and CONNECT on every resource and subresource; only execution identities, the broker's
      # minted RBAC, the cluster's own components, workload exemptions and break-glass pass), the
      # broker's own writes outside them are confined, and only protection admins end protection.
      # The groups, users, exemptions and namespace come from the chart's values (_admission.tpl).
      """;

  static String generatedPolicies() {
    return POLICIES_HEADER + ChartAdmissionTemplates.boundaryPolicies();
  }

  @Test
  void chartPolicies_equalGeneratedOnes() throws IOException {
    String generated = generatedPolicies();
    if (Boolean.getBoolean("seb.chart.update")) {
      Files.writeString(COMMITTED_POLICIES, generated);
    }
    assertThat(Files.readString(COMMITTED_POLICIES))
        .as(
            "%s differs from BoundaryPolicies.forPolicy; regenerate with -Dseb.chart.update=true",
            COMMITTED_POLICIES)
        .isEqualTo(generated);
  }
}
