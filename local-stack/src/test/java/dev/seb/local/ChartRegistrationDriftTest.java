package dev.seb.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's webhook registrations and ValidatingAdmissionPolicies are exactly what {@link
 * AdmissionRegistration#forService} and {@code BoundaryPolicies} generate, match conditions and CEL
 * included, so the chart and the local stack cannot drift apart. After changing the registrations,
 * run {@code ./mvnw -pl local-stack -am test -Dtest=ChartRegistrationDriftTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dseb.chart.update=true} and commit.
 */
class ChartRegistrationDriftTest {

  private static final Path COMMITTED =
      Path.of("..", "charts", "seb", "templates", "admission-webhook-registration.yaml");

  private static final String HEADER =
      """
      # Generated from AdmissionRegistration.forService (local-stack/); do not edit. The admission webhook's
      # registrations: the protected-namespace guard (every operation on every resource and
      # subresource in protected namespaces; match conditions leave out what it admits plainly:
      # execution identities, the broker's minted RBAC, the cluster's own components), seb's own
      # kinds and their status (not called for the broker's records, nor
      # for status written by the seb component that owns it), the guard (the broker's own writes
      # outside protected namespaces, the protection label), and the submitter stamp on proposals.
      # All fail closed; the CA is injected by cert-manager from the webhook's Certificate.
      """;

  static String generated() {
    KubernetesSerialization yaml = new KubernetesSerialization();
    return HEADER
        + AdmissionRegistration.forService("seb-system", "seb-admission-webhook").stream()
            .map(yaml::asYaml)
            .map(doc -> doc.startsWith("---") ? doc : "---\n" + doc)
            .collect(Collectors.joining());
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
      # Generated from BoundaryPolicies.forPolicy (contracts/); do not edit. seb's second admission
      # layer: ValidatingAdmissionPolicies the API server evaluates itself, with the same rules as
      # the admission webhook: protected namespaces are default-deny (every CREATE, UPDATE, DELETE
      # and CONNECT on every resource and subresource; only execution identities, the broker's
      # minted RBAC, the cluster's own components, workload exemptions and break-glass pass), the
      # broker's own writes outside them are confined, and only protection admins end protection.
      """;

  static String generatedPolicies() {
    KubernetesSerialization yaml = new KubernetesSerialization();
    return POLICIES_HEADER
        + dev.seb.contracts.admission.BoundaryPolicies.forPolicy(
                dev.seb.contracts.admission.AdmissionPolicy.defaults())
            .stream()
            .map(yaml::asYaml)
            .map(doc -> doc.startsWith("---") ? doc : "---\n" + doc)
            .collect(Collectors.joining());
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

  @Test
  void theChartsGuard_carriesTheMatchConditionsOfTheAdmissionPolicy() {
    ValidatingWebhookConfiguration guard =
        AdmissionRegistration.forService("seb-system", "seb-admission-webhook").stream()
            .filter(ValidatingWebhookConfiguration.class::isInstance)
            .map(ValidatingWebhookConfiguration.class::cast)
            .filter(r -> r.getMetadata().getName().equals("seb-protected"))
            .findFirst()
            .orElseThrow();
    java.util.Map<String, String> conditions = new java.util.LinkedHashMap<>();
    guard
        .getWebhooks()
        .get(0)
        .getMatchConditions()
        .forEach(c -> conditions.put(c.getName(), c.getExpression()));
    assertThat(conditions)
        .containsExactlyEntriesOf(
            dev.seb.contracts.admission.AdmissionPolicy.defaults().webhookMatchConditions());
    assertThat(guard.getWebhooks().get(0).getClientConfig().getService().getName())
        .isEqualTo("seb-admission-webhook");
    assertThat(guard.getWebhooks().get(0).getFailurePolicy()).isEqualTo("Fail");
    assertThat(guard.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", "seb-system/seb-admission-webhook");
  }
}
