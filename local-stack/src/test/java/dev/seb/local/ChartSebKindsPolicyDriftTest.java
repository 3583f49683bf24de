package dev.seb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.admission.AdmissionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy for seb's kinds is exactly what {@link
 * SebKindsAdmissionPolicy} generates, through {@link ChartAdmissionTemplates}, for the {@link
 * AdmissionPolicy} of the chart's values. After changing the rules, run {@code ./mvnw -pl
 * local-stack -am test -Dtest=ChartSebKindsPolicyDriftTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dseb.chart.update=true} and commit.
 */
class ChartSebKindsPolicyDriftTest {

  static final Path COMMITTED =
      Path.of("..", "charts", "seb", "templates", "validating-admission-policy-seb-kinds.yaml");

  private static final String HEADER =
      """
      # Generated from SebKindsAdmissionPolicy (local-stack/) and SebKindsPolicyCel (contracts/); do not edit.
      # seb's second admission layer for its own kinds, without the webhook: a Mandate is written only
      # by the principal it names or an admin, no ServiceAccount writes mandates, contracts or trust
      # anchors, records only by the broker, proposals carry their creator's stamp, and the status of
      # every seb kind is written only by the seb component that owns it. Whether an amendment only
      # narrows a mandate is decided by the webhook alone. The groups and the namespace come from
      # the chart's values (_admission.tpl).
      """;

  static String generated() {
    return HEADER + ChartAdmissionTemplates.sebKindsPolicy();
  }

  @Test
  void chartPolicy_equalsTheGeneratedOne() throws IOException {
    String generated = generated();
    if (Boolean.getBoolean("seb.chart.update")) {
      Files.writeString(COMMITTED, generated);
    }
    assertThat(Files.readString(COMMITTED))
        .as(
            "%s differs from SebKindsAdmissionPolicy; regenerate with -Dseb.chart.update=true",
            COMMITTED)
        .isEqualTo(generated);
  }
}
