package dev.seb.contracts.mandate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.SebKeys;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MandateLifecycleTest {

  private static dev.seb.contracts.v1alpha1.MandateSpec spec(String extra) {
    try {
      return dev.seb.contracts.canonical.CanonicalJson.mapper()
          .readValue(
              """
              {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/planner"},
               "scope": [{"contractRef": "c"}], "lifecycle": {"notAfter": "2030-01-02T00:00:00Z"}%s}
              """
                  .formatted(extra),
              dev.seb.contracts.v1alpha1.MandateSpec.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Mandate mandate(dev.seb.contracts.v1alpha1.MandateSpec spec, Phase phase) {
    Mandate mandate = new Mandate();
    mandate.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("planner")
            .withNamespace("shop")
            .build());
    mandate.setSpec(spec);
    if (phase != null) {
      dev.seb.contracts.v1alpha1.MandateStatus status =
          new dev.seb.contracts.v1alpha1.MandateStatus();
      status.setPhase(phase);
      mandate.setStatus(status);
    }
    return mandate;
  }

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T12:00:00Z"), ZoneOffset.UTC);
  private static final Mandate PARENT =
      mandate(
          spec(", \"delegation\": {\"permitted\": true, \"maxAdditionalHops\": 1}"), Phase.Active);

  private static MandateLifecycle.Evaluation child(String extra, Mandate parent) {
    Mandate child = mandate(spec(", \"parentRef\": \"planner\"" + extra), null);
    return MandateLifecycle.evaluate(child, null, parent, List.of("planner"), CLOCK);
  }

  @Test
  void rootMandate_isActiveUntilNotAfter_withAWakeUpThere() {
    var evaluation =
        MandateLifecycle.evaluate(mandate(spec(""), null), null, null, List.of(), CLOCK);
    assertThat(evaluation.phase()).isEqualTo(Phase.Active);
    assertThat(evaluation.wakeUpAt()).contains(Instant.parse("2030-01-02T00:00:00Z"));
  }

  @Test
  void validChild_isActive_withTheChainFromTheRoot() {
    var evaluation = child("", PARENT);
    assertThat(evaluation.phase()).isEqualTo(Phase.Active);
    assertThat(evaluation.delegationChain()).containsExactly("planner", "planner");
  }

  @Test
  void childOfAnEndedParent_isRevokedByCascade() {
    var evaluation = child("", mandate(PARENT.getSpec(), Phase.Revoked));
    assertThat(evaluation.phase()).isEqualTo(Phase.Revoked);
    assertThat(evaluation.cascadedFrom()).isEqualTo("planner");
  }

  @Test
  void childWithoutItsParentsPermission_isRejected() {
    var evaluation = child("", mandate(spec(""), Phase.Active));
    assertThat(evaluation.phase()).isEqualTo(Phase.Rejected);
    assertThat(evaluation.message()).contains("does not permit delegation");
  }

  @Test
  void childAskingForMoreHopsThanLeft_isRejected() {
    var evaluation =
        child(", \"delegation\": {\"permitted\": true, \"maxAdditionalHops\": 1}", PARENT);
    assertThat(evaluation.phase()).isEqualTo(Phase.Rejected);
    assertThat(evaluation.message()).contains("maxAdditionalHops 1");
  }

  @Test
  void rejectedMandate_staysRejected() {
    Mandate child = mandate(spec(", \"parentRef\": \"planner\""), Phase.Rejected);
    assertThat(MandateLifecycle.evaluate(child, Phase.Rejected, PARENT, List.of(), CLOCK).phase())
        .isEqualTo(Phase.Rejected);
  }

  @Test
  void reportedTerminalEvent_completesTheMandate_andItsChildrenEndWithIt() {
    Mandate done =
        mandate(
            spec(
                ", \"lifecycle\": {\"notAfter\": \"2030-01-02T00:00:00Z\", \"terminalEvents\": [\"window-closed\"]}"),
            null);
    done.getMetadata().setAnnotations(java.util.Map.of(SebKeys.TERMINAL_EVENT, "window-closed"));
    assertThat(MandateLifecycle.evaluate(done, Phase.Active, null, List.of(), CLOCK).phase())
        .isEqualTo(Phase.Completed);
    done.getMetadata().setAnnotations(java.util.Map.of(SebKeys.TERMINAL_EVENT, "something-else"));
    assertThat(MandateLifecycle.evaluate(done, Phase.Active, null, List.of(), CLOCK).phase())
        .isEqualTo(Phase.Active);
    assertThat(child("", mandate(PARENT.getSpec(), Phase.Completed)).phase())
        .isEqualTo(Phase.Revoked);
  }
}
