package dev.seb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import dev.seb.testing.tracing.InMemorySpans;
import dev.seb.testing.tracing.TracingProfile;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/** With tracing on, every reconcile is a span naming its kind and object. */
@QuarkusTest
@TestProfile(OperatorTracingIT.Tracing.class)
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class OperatorTracingIT {

  /** Tracing on, spans in memory, nothing exported. */
  public static class Tracing extends TracingProfile {}

  @Inject KubernetesClient client;
  @Inject InMemorySpanExporter spans;

  @Test
  void aReconcile_isASpanNamingItsObject() {
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName("traced-anchor").build());
    anchor.setSpec(new TrustAnchorSpec("traced.sab.test", "not a PEM", "not a statement"));
    String uid = client.resource(anchor).create().getMetadata().getUid();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(spans.getFinishedSpanItems())
                    .as(InMemorySpans.tree(spans.getFinishedSpanItems()))
                    .anySatisfy(
                        s -> {
                          assertThat(s.getName()).isEqualTo("reconcile TrustAnchor");
                          assertThat(s.getAttributes().get(AttributeKey.stringKey("seb.object")))
                              .isEqualTo("traced-anchor");
                          assertThat(s.getAttributes().get(AttributeKey.stringKey("seb.uid")))
                              .isEqualTo(uid);
                        }));
  }
}
