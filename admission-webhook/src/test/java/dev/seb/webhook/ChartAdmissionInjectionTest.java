package dev.seb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.ground.HelmChart;
import dev.seb.webhook.chart.AdmissionValues;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's admission values go into CEL string literals: a value that would close the literal (a
 * quote), escape out of it (a backslash), or otherwise leave its pattern fails {@code helm
 * template} with a message naming the value, with the values schema and without it ({@code
 * --skip-schema-validation}), so no value can add CEL of its own. The chart's own templates are
 * rendered, without the test's env template, so the generated templates themselves refuse them.
 */
class ChartAdmissionInjectionTest {

  @TempDir Path work;

  private HelmChart.Result render(String values, String... extra) {
    return AdmissionValues.chartOnly(work, "seb-system", values)
        .template(AdmissionValues.TEMPLATES, extra);
  }

  @Test
  void aQuoteInAGroup_failsTheRender_namingTheValue() {
    String values = "admission:\n  adminGroups: [\"a', 'system:masters\"]\n";
    HelmChart.Result checked = render(values);
    assertThat(checked.exit()).isNotZero();
    assertThat(checked.output()).contains("adminGroups");
    HelmChart.Result unchecked = render(values, "--skip-schema-validation");
    assertThat(unchecked.exit()).isNotZero();
    assertThat(unchecked.output())
        .contains("admission.adminGroups")
        .contains("a', 'system:masters")
        .contains("quote or a backslash");
  }

  @Test
  void aBackslash_failsTheRender_namingTheValue() {
    String values = "admission:\n  breakGlassGroups: ['seb:break-glass\\']\n";
    HelmChart.Result checked = render(values);
    assertThat(checked.exit()).isNotZero();
    assertThat(checked.output()).contains("breakGlassGroups");
    String backslash = "admission:\n  exemptUsers: ['ops\\']\n";
    HelmChart.Result unchecked = render(backslash, "--skip-schema-validation");
    assertThat(unchecked.exit()).isNotZero();
    assertThat(unchecked.output()).contains("admission.exemptUsers").contains("ops\\\\");
  }

  @Test
  void aWorkloadExemptionOutsideItsForm_failsTheRender() {
    for (String exemption :
        new String[] {
          "shop/web=/events')", "shop/web=*/*", "shop/web", "shop/web=/events,", "shop/*=/events"
        }) {
      String values = "admission:\n  workloadExemptions: [\"" + exemption + "\"]\n";
      HelmChart.Result unchecked = render(values, "--skip-schema-validation");
      assertThat(unchecked.exit()).as(exemption).isNotZero();
      assertThat(unchecked.output()).as(exemption).contains("admission.workloadExemptions");
      assertThat(render(values).exit()).as(exemption).isNotZero();
    }
  }

  @Test
  void aNamespaceThatIsNoName_failsTheRender() {
    HelmChart.Result result =
        AdmissionValues.chartOnly(work, "seb'x", "").template(AdmissionValues.TEMPLATES);
    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("seb'x");
  }

  @Test
  void anUnknownAdmissionKey_failsTheRender() {
    HelmChart.Result result = render("admission:\n  breakglassGroups: [\"ops\"]\n");
    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("breakglassGroups");
  }
}
