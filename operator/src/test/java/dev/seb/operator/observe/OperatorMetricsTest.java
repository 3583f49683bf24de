package dev.seb.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/** The operator's counters and log tags, without an API server. */
class OperatorMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OperatorMetrics metrics =
      new OperatorMetrics(registry, OpenTelemetry.noop().getTracer("test"));
  private final io.fabric8.kubernetes.api.model.ConfigMap object =
      new ConfigMapBuilder()
          .withNewMetadata()
          .withName("m1")
          .withNamespace("team-a")
          .withUid("u-1")
          .endMetadata()
          .build();

  private double reconciles(String result) {
    return registry
        .get("seb.operator.reconciles")
        .tags("kind", "ConfigMap", "result", result)
        .counter()
        .count();
  }

  @Test
  void aReconcileIsCountedByResult_andTagsItsLogLinesOnlyWhileItRuns() {
    String seen = metrics.reconcile(object, () -> MDC.get("object") + " " + MDC.get("objectUid"));
    assertThat(seen).isEqualTo("team-a/m1 u-1");
    assertThat(reconciles("ok")).isEqualTo(1);
    assertThat(MDC.get("object")).isNull();

    assertThatThrownBy(
            () ->
                metrics.reconcile(
                    object,
                    () -> {
                      throw new IllegalStateException("API server gone");
                    }))
        .hasMessage("API server gone");
    assertThat(reconciles("error")).isEqualTo(1);
    assertThat(MDC.get("kind")).isNull();
  }

  @Test
  void phasesAndCertificationsAreCountedWithClosedTags() {
    metrics.mandateEntered(Phase.Revoked);
    metrics.mandateEntered(Phase.Revoked);
    metrics.certification(false, "CERTIFICATE_EXPIRED");
    metrics.certification(true, "Certified");
    assertThat(
            registry
                .get("seb.operator.mandate.transitions")
                .tag("phase", "Revoked")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("seb.operator.certifications")
                .tags("result", "refused", "reason", "CERTIFICATE_EXPIRED")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("seb.operator.certifications")
                .tags("result", "certified", "reason", "Certified")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
