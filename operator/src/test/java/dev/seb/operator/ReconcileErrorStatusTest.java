package dev.seb.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcileErrorStatusTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void report_setsReadyFalse_andLeavesTheLastEvaluation_includingItsGeneration() {
    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName("m").withGeneration(2L).build());
    MandateStatus evaluated = new MandateStatus();
    evaluated.setObservedGeneration(1L);
    evaluated.setPhase(Phase.Active);
    evaluated.setConditions(
        Conditions.set(List.of(), "Active", true, "Active", "in force", 1L, CLOCK));
    mandate.setStatus(evaluated);

    var control =
        ReconcileErrorStatus.reportFrom(
            mandate, evaluated, MandateStatus::new, new IllegalStateException("boom"), CLOCK);

    MandateStatus patched = control.getResource().orElseThrow().getStatus();
    var ready = Conditions.find(patched.getConditions(), "Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ReconcileError");
    assertThat(ready.getMessage()).contains("IllegalStateException: boom");
    assertThat(ready.getObservedGeneration()).isEqualTo(2L);
    // generation 2 was never evaluated: the status must not claim it was
    assertThat(patched.getObservedGeneration()).isEqualTo(1L);
    assertThat(patched.getPhase()).isEqualTo(Phase.Active);
    assertThat(Conditions.isTrue(patched.getConditions(), "Active")).isTrue();
  }

  @Test
  void report_onAnObjectWithoutStatus_createsOne() {
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName("a").withGeneration(1L).build());

    var control =
        ReconcileErrorStatus.reportFrom(
            anchor, null, TrustAnchorStatus::new, new NullPointerException("anchor"), CLOCK);

    TrustAnchorStatus patched = control.getResource().orElseThrow().getStatus();
    assertThat(patched.getObservedGeneration()).isNull();
    assertThat(Conditions.find(patched.getConditions(), "Ready").orElseThrow().getReason())
        .isEqualTo("ReconcileError");
  }

  @Test
  void report_buildsOnTheStoredStatus_notOnTheEvaluationTheFailedReconcileLeftOnTheResource() {
    MandateStatus stored = new MandateStatus();
    stored.setObservedGeneration(1L);
    stored.setPhase(Phase.Active);
    stored.setConditions(Conditions.set(List.of(), "Ready", true, "Active", "in force", 1L, CLOCK));
    // the reconcile of generation 2 put its evaluation on the resource, then its write was refused
    MandateStatus unwritten = new MandateStatus();
    unwritten.setObservedGeneration(2L);
    unwritten.setPhase(Phase.Revoked);
    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName("m").withGeneration(2L).build());
    mandate.setStatus(unwritten);

    var control =
        ReconcileErrorStatus.reportFrom(
            mandate,
            stored,
            MandateStatus::new,
            new KubernetesClientException("refused", 403, null),
            CLOCK);

    MandateStatus patched = control.getResource().orElseThrow().getStatus();
    assertThat(patched.getObservedGeneration()).isEqualTo(1L);
    assertThat(patched.getPhase()).isEqualTo(Phase.Active);
    assertThat(Conditions.find(patched.getConditions(), "Ready").orElseThrow().getReason())
        .isEqualTo("ReconcileError");
    // the stored status (the Operator SDK's cached object) is left as it was
    assertThat(patched).isNotSameAs(stored);
    assertThat(Conditions.find(stored.getConditions(), "Ready").orElseThrow().getReason())
        .isEqualTo("Active");
  }

  @Test
  void message_namesTheApiServersAnswer_andStaysTheSameAcrossAttempts() {
    Exception refused = new KubernetesClientException("mutationproposals is forbidden", 403, null);
    assertThat(ReconcileErrorStatus.message(refused))
        .contains("the API server answered 403", "mutationproposals is forbidden")
        .isEqualTo(ReconcileErrorStatus.message(refused));
    assertThat(ReconcileErrorStatus.message(new NullPointerException()))
        .contains("NullPointerException")
        .doesNotContain("null)");
  }
}
