package dev.seb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * An error that escapes a reconcile shows on the object, not only in the operator's log: {@code
 * Ready=False} with reason {@code ReconcileError} and the error as message. The cause here is real:
 * the API server accepts a Mandate or TrustAnchor without a spec, and the reconcilers cannot
 * evaluate one. The last evaluation is never passed off as current, and a fixed object is ready
 * again.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class ReconcileErrorStatusIT {

  private static final Duration SOON = Duration.ofSeconds(30);

  @Inject KubernetesClient client;

  private String namespace;

  @BeforeEach
  void namespace() {
    namespace = "ns-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  private static ResourceDefinitionContext kind(String plural, String kind, boolean namespaced) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("seb.dev")
        .withVersion("v1alpha1")
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(namespaced)
        .build();
  }

  private Mandate mandate(String name) {
    return client.resources(Mandate.class).inNamespace(namespace).withName(name).get();
  }

  private Condition mandateReady(String name) {
    Mandate m = mandate(name);
    return m == null || m.getStatus() == null
        ? null
        : Conditions.find(m.getStatus().getConditions(), "Ready").orElse(null);
  }

  private static void assertCondition(Condition c, String status, String reason) {
    assertThat(c).as("Ready condition").isNotNull();
    assertThat(c.getStatus()).as(c.getMessage()).isEqualTo(status);
    assertThat(c.getReason()).as(c.getMessage()).isEqualTo(reason);
  }

  @Test
  void mandateWhoseSpecIsRemoved_isReportedAsReconcileError_withoutAdvancingObservedGeneration()
      throws Exception {
    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName("gone").withNamespace(namespace).build());
    mandate.setSpec(
        CanonicalJson.mapper()
            .readValue(
                """
                {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/planner"},
                 "scope": [{"contractRef": "scale-web"}],
                 "lifecycle": {"notAfter": "%s"}}
                """
                    .formatted(Instant.now().plus(Duration.ofHours(2))),
                MandateSpec.class));
    client.resource(mandate).create();
    await()
        .atMost(SOON)
        .untilAsserted(() -> assertCondition(mandateReady("gone"), "True", "Active"));
    long evaluated = mandate("gone").getStatus().getObservedGeneration();

    var generic = client.genericKubernetesResources(kind("mandates", "Mandate", true));
    GenericKubernetesResource stored = generic.inNamespace(namespace).withName("gone").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
    generic
        .inNamespace(namespace)
        .withName("gone")
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\": \"remove\", \"path\": \"/spec\"}]");

    await()
        .atMost(SOON)
        .untilAsserted(() -> assertCondition(mandateReady("gone"), "False", "ReconcileError"));
    Mandate broken = mandate("gone");
    assertThat(mandateReady("gone").getMessage()).contains("NullPointerException", "getSpec()");
    assertThat(broken.getMetadata().getGeneration()).isGreaterThan(evaluated);
    assertThat(broken.getStatus().getObservedGeneration())
        .as("the last evaluation is not passed off as one of the current spec")
        .isEqualTo(evaluated);
    assertThat(broken.getStatus().getPhase()).isEqualTo(Phase.Active);

    generic
        .inNamespace(namespace)
        .withName("gone")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\": \"add\", \"path\": \"/spec\", \"value\": "
                + CanonicalJson.mapper().writeValueAsString(spec)
                + "}]");
    await()
        .atMost(SOON)
        .untilAsserted(() -> assertCondition(mandateReady("gone"), "True", "Active"));
    Mandate fixed = mandate("gone");
    assertThat(fixed.getStatus().getObservedGeneration())
        .isEqualTo(fixed.getMetadata().getGeneration());
  }

  @Test
  void trustAnchorWithoutSpec_isReportedAsReconcileError_andReadyOnceItHasOne() {
    String name = "anchor-" + namespace;
    GenericKubernetesResource anchor = new GenericKubernetesResource();
    anchor.setApiVersion("seb.dev/v1alpha1");
    anchor.setKind("TrustAnchor");
    anchor.setMetadata(new ObjectMetaBuilder().withName(name).build());
    var generic = client.genericKubernetesResources(kind("trustanchors", "TrustAnchor", false));
    generic.resource(anchor).create();

    await()
        .atMost(SOON)
        .untilAsserted(() -> assertCondition(anchorReady(name), "False", "ReconcileError"));
    assertThat(anchorReady(name).getMessage()).contains("NullPointerException");

    TestSab sab =
        TestSab.create(
            UUID.randomUUID().toString().substring(0, 8) + ".sab.test", Clock.systemUTC());
    TrustAnchor withSpec = client.resources(TrustAnchor.class).withName(name).get();
    withSpec.setSpec(sab.trustAnchorSpec(sab.epochStatement().sign()));
    client.resource(withSpec).update();
    await()
        .atMost(SOON)
        .untilAsserted(() -> assertCondition(anchorReady(name), "True", "Verified"));
  }

  private Condition anchorReady(String name) {
    TrustAnchor anchor = client.resources(TrustAnchor.class).withName(name).get();
    return anchor == null || anchor.getStatus() == null
        ? null
        : Conditions.find(anchor.getStatus().getConditions(), "Ready").orElse(null);
  }
}
