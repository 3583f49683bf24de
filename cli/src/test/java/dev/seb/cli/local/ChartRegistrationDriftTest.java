package dev.seb.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's webhook registrations are exactly what {@link AdmissionRegistration#forService}
 * generates, match conditions included, so the chart and the local stack cannot drift apart. After
 * changing the registrations, run {@code ./mvnw -pl cli -am test -Dtest=ChartRegistrationDriftTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dseb.chart.update=true} and commit.
 */
class ChartRegistrationDriftTest {

  private static final Path COMMITTED =
      Path.of("..", "charts", "seb", "templates", "admission-webhook-registration.yaml");

  private static final String HEADER =
      """
      # Generated from AdmissionRegistration.forService (cli/); do not edit. The admission webhook's
      # registrations: the protected-namespace guard (match conditions leave out what it admits
      # plainly: execution identities, the broker's minted RBAC, the cluster's own components), seb's
      # own kinds and their status (not called for proposals deleted, for the broker's records, nor
      # for status written by the seb component that owns it), and the submitter stamp on proposals.
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
