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
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * An error that escapes a reconcile shows on the object, not only in the operator's log: {@code
 * Ready=False} with reason {@code ReconcileError} and the error as message. The cause here is real:
 * the API server refuses the operator's write of a new evaluation ({@link StatusRefusal}, a
 * ValidatingAdmissionPolicy). The last evaluation is never passed off as one of the current spec,
 * and once the write is allowed again the object is ready again.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class ReconcileErrorStatusIT {

  private static final Duration SOON = Duration.ofSeconds(30);

  @Inject KubernetesClient client;

  private String namespace;
  private StatusRefusal refusal;

  @BeforeEach
  void namespace() {
    namespace = "ns-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    refusal = new StatusRefusal(client);
  }

  @AfterEach
  void liftThePolicy() {
    // the module's tests share one API server
    refusal.lift();
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

  private TrustAnchor anchor(String name) {
    return client.resources(TrustAnchor.class).withName(name).get();
  }

  private Condition anchorReady(String name) {
    TrustAnchor anchor = anchor(name);
    return anchor == null || anchor.getStatus() == null
        ? null
        : Conditions.find(anchor.getStatus().getConditions(), "Ready").orElse(null);
  }

  private static void assertCondition(Condition c, String status, String reason) {
    assertThat(c).as("Ready condition").isNotNull();
    assertThat(c.getStatus()).as(c.getMessage()).isEqualTo(status);
    assertThat(c.getReason()).as(c.getMessage()).isEqualTo(reason);
  }

  private static String label(boolean refuse) {
    return "{\"metadata\": {\"labels\": {\"%s\": %s}}}"
        .formatted(StatusRefusal.LABEL, refuse ? "\"true\"" : "null");
  }

  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  @Test
  void mandateWhoseStatusWriteIsRefused_isReportedAsReconcileError_withoutAdvancingObservedGen()
      throws Exception {
    Mandate mandate = new Mandate();
    mandate.setMetadata(
        new ObjectMetaBuilder().withName("refused").withNamespace(namespace).build());
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
        .untilAsserted(() -> assertCondition(mandateReady("refused"), "True", "Active"));
    long evaluated = mandate("refused").getStatus().getObservedGeneration();

    refusal.install();
    var named = client.resources(Mandate.class).inNamespace(namespace).withName("refused");
    refusal.awaitEnforced(named.patch(MERGE, label(true)));
    // a new spec to evaluate: the operator's write of the evaluation is refused
    named.patch(
        MERGE,
        "{\"spec\": {\"lifecycle\": {\"notAfter\": \"%s\"}}}"
            .formatted(Instant.now().plus(Duration.ofHours(3))));

    await()
        .atMost(SOON)
        .untilAsserted(() -> assertCondition(mandateReady("refused"), "False", "ReconcileError"));
    Mandate refused = mandate("refused");
    assertThat(mandateReady("refused").getMessage())
        .contains("the API server answered", StatusRefusal.MESSAGE);
    assertThat(refused.getMetadata().getGeneration()).isGreaterThan(evaluated);
    assertThat(refused.getStatus().getObservedGeneration())
        .as("the last evaluation is not passed off as one of the current spec")
        .isEqualTo(evaluated);
    assertThat(refused.getStatus().getPhase()).isEqualTo(Phase.Active);
    assertThat(
            Conditions.find(refused.getStatus().getConditions(), "Active")
                .orElseThrow()
                .getObservedGeneration())
        .isEqualTo(evaluated);

    named.patch(MERGE, label(false));
    await()
        .atMost(SOON)
        .untilAsserted(() -> assertCondition(mandateReady("refused"), "True", "Active"));
    Mandate fixed = mandate("refused");
    assertThat(fixed.getStatus().getObservedGeneration())
        .isEqualTo(fixed.getMetadata().getGeneration());
  }

  /**
   * Creates a verified TrustAnchor, then has the write of its next evaluation (a newer statement,
   * policy epoch 7) refused until the label comes off. Returns the anchor as last verified.
   */
  private TrustAnchor refusedAnchor(String name) {
    TestSab sab =
        TestSab.create(
            UUID.randomUUID().toString().substring(0, 8) + ".sab.test", Clock.systemUTC());
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName(name).build());
    anchor.setSpec(sab.trustAnchorSpec(sab.epochStatement().minPolicyEpoch(1).sign()));
    client.resource(anchor).create();
    await()
        .atMost(SOON)
        .untilAsserted(() -> assertCondition(anchorReady(name), "True", "Verified"));
    TrustAnchor verified = anchor(name);

    refusal.install();
    refusal.awaitEnforced(
        client.resources(TrustAnchor.class).withName(name).patch(MERGE, label(true)));
    // a newer statement: the operator verifies it, and its write of the new epochs is refused
    TrustAnchor newer = anchor(name);
    newer.setSpec(sab.trustAnchorSpec(sab.epochStatement().minPolicyEpoch(7).sign()));
    client.resource(newer).update();
    await()
        .atMost(SOON)
        .untilAsserted(() -> assertCondition(anchorReady(name), "False", "ReconcileError"));
    return verified;
  }

  private void awaitVerifiedAgain(String name, Duration within) {
    await()
        .atMost(within)
        .untilAsserted(() -> assertCondition(anchorReady(name), "True", "Verified"));
    TrustAnchor fixed = anchor(name);
    assertThat(fixed.getStatus().getObservedGeneration())
        .isEqualTo(fixed.getMetadata().getGeneration());
    assertThat(fixed.getStatus().getPolicyEpoch()).isEqualTo(7L);
  }

  @Test
  void trustAnchorWhoseStatusWriteIsRefused_keepsItsEpochs_andIsReadyOnceTheWriteIsAllowed() {
    String name = "anchor-" + namespace;
    try {
      TrustAnchor verified = refusedAnchor(name);
      long evaluated = verified.getStatus().getObservedGeneration();
      TrustAnchor refused = anchor(name);
      assertThat(anchorReady(name).getMessage())
          .contains("the API server answered", StatusRefusal.MESSAGE);
      assertThat(refused.getMetadata().getGeneration()).isGreaterThan(evaluated);
      assertThat(refused.getStatus().getObservedGeneration()).isEqualTo(evaluated);
      assertThat(refused.getStatus().getPolicyEpoch())
          .as("epochs that were never written are not reported")
          .isEqualTo(verified.getStatus().getPolicyEpoch());

      // the Operator SDK retries the failed reconcile
      client.resources(TrustAnchor.class).withName(name).patch(MERGE, label(false));
      awaitVerifiedAgain(name, SOON);
    } finally {
      client.resources(TrustAnchor.class).withName(name).delete();
    }
  }

  @Test
  void trustAnchorRefusedLongerThanTheRetriesLast_isTriedAgain_andReadyOnceTheWriteIsAllowed()
      throws InterruptedException {
    String name = "spent-" + namespace;
    try {
      refusedAnchor(name);
      // the Operator SDK's retries (5 attempts) are used up within about 20 seconds; the anchor
      // reports the error all along
      await()
          .during(Duration.ofSeconds(25))
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(() -> assertCondition(anchorReady(name), "False", "ReconcileError"));

      // nothing changes the anchor's generation: only the operator's own retry can see the change
      client.resources(TrustAnchor.class).withName(name).patch(MERGE, label(false));
      awaitVerifiedAgain(name, ReconcileErrorStatus.AFTER_RETRIES.plus(SOON));
    } finally {
      client.resources(TrustAnchor.class).withName(name).delete();
    }
  }
}
