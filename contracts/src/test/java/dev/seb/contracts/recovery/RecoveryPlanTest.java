package dev.seb.contracts.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.proposal.Ending;
import dev.seb.contracts.proposal.ProposalStatusWriter.Decided;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.recovery.RecoveryPlan.StoredRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import dev.seb.contracts.v1alpha1.OperationType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every situation a lapsed claim can leave, and what recovery does with it; nothing re-executes.
 */
class RecoveryPlanTest {

  private static final String UID = "u-1";
  private static final String DECISION_NAME = "decision-" + UID;
  private static final ProposalRef REF =
      new ProposalRef("shop", "scale-web", UID, "sha256:" + "b".repeat(64));
  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

  private static JsonNode deployment(int replicas) {
    return CanonicalJson.mapper()
        .createObjectNode()
        .put("kind", "Deployment")
        .set("spec", CanonicalJson.mapper().createObjectNode().put("replicas", replicas));
  }

  private static StoredRecord decision(JsonNode checked) {
    return new StoredRecord(
        DECISION_NAME,
        Kind.DECISION,
        "broker-1",
        RecordDraft.builder(Kind.DECISION)
            .proposal(REF)
            .decision(Decision.ADMIT)
            .executed(false)
            .preState(Digests.state(checked))
            .decidedAt(T)
            .build());
  }

  private static StoredRecord denial(String name) {
    return new StoredRecord(
        name,
        Kind.DENIAL,
        "broker-1",
        RecordDraft.builder(Kind.DENIAL)
            .proposal(REF)
            .decision(Decision.DENY)
            .reason(ReasonCode.SCOPE_VIOLATION, "replicas 9 > 5")
            .executed(false)
            .decidedAt(T)
            .build());
  }

  private static StoredRecord outcome(boolean executed) {
    RecordDraft.Builder draft =
        RecordDraft.builder(Kind.OUTCOME)
            .proposal(REF)
            .decision(Decision.ADMIT)
            .executed(executed)
            .decidedAt(T)
            .completedAt(T.plusSeconds(1));
    if (!executed) {
      draft.reason(ReasonCode.DRIFT_DETECTED, "changed");
    }
    return new StoredRecord("broker-1-7", Kind.OUTCOME, "broker-1", draft.build());
  }

  @Test
  void noRecords_decideAgain() {
    assertThat(RecoveryPlan.plan(DECISION_NAME, List.of()))
        .isInstanceOf(RecoveryPlan.DecideAgain.class);
  }

  @Test
  void aRecordedDenial_standsAsRecorded() {
    StoredRecord denied = denial(DECISION_NAME);
    RecoveryPlan.Step step = RecoveryPlan.plan(DECISION_NAME, List.of(denied));
    assertThat(step).isEqualTo(new RecoveryPlan.Restore(denied, denied));
    Decided restored = RecoveryPlan.restored((RecoveryPlan.Restore) step);
    assertThat(restored.decisionRecord()).isEqualTo(DECISION_NAME);
    assertThat(restored.ending()).isInstanceOf(Ending.Refused.class);
    assertThat(((Ending.Refused) restored.ending()).reason().code())
        .isEqualTo(ReasonCode.SCOPE_VIOLATION);
  }

  @Test
  void aReplayDenialUnderAnotherName_isNotTheDecision() {
    // a REPLAY is recorded under its chain name: it is not the proposal's decision
    assertThat(RecoveryPlan.plan(DECISION_NAME, List.of(denial("broker-1-9"))))
        .isInstanceOf(RecoveryPlan.DecideAgain.class);
  }

  @Test
  void aRecordedOutcome_isRestored_executedOrNot() {
    StoredRecord decided = decision(deployment(2));
    for (boolean executed : new boolean[] {true, false}) {
      StoredRecord outcome = outcome(executed);
      RecoveryPlan.Step step = RecoveryPlan.plan(DECISION_NAME, List.of(outcome, decided));
      assertThat(step).isEqualTo(new RecoveryPlan.Restore(decided, outcome));
      Decided restored = RecoveryPlan.restored((RecoveryPlan.Restore) step);
      assertThat(restored.ending())
          .isInstanceOf(executed ? Ending.Executed.class : Ending.NotExecuted.class);
      assertThat(restored.decidedAt()).isEqualTo("2026-12-07T10:00:00Z");
      assertThat(restored.proposalDigest()).isEqualTo(REF.proposalDigest());
    }
  }

  @Test
  void anUnreadableRecord_isRestoredAsAnInternalError_neverAsExecuted() {
    StoredRecord unreadable = new StoredRecord("broker-1-7", Kind.OUTCOME, "broker-1", null);
    RecoveryPlan.Step step =
        RecoveryPlan.plan(DECISION_NAME, List.of(decision(deployment(2)), unreadable));
    Decided restored = RecoveryPlan.restored((RecoveryPlan.Restore) step);
    assertThat(restored.ending()).isInstanceOf(Ending.Unrecorded.class);
    assertThat(((Ending.Unrecorded) restored.ending()).executed()).isFalse();
    assertThat(((Ending.Unrecorded) restored.ending()).reason().message()).contains("broker-1-7");
  }

  @Test
  void aDecisionWithoutOutcome_isRevokedThenRecorded() {
    StoredRecord decided = decision(deployment(2));
    assertThat(RecoveryPlan.plan(DECISION_NAME, List.of(decided)))
        .isEqualTo(new RecoveryPlan.RevokeThenRecord(decided));
  }

  @Test
  void aTargetExactlyAsChecked_wasNotChanged() {
    JsonNode checked = deployment(2);
    RecoveryPlan.Found found =
        RecoveryPlan.found(decision(checked), "broker-9", OperationType.SCALE, 2, checked);
    assertThat(found.applied()).isFalse();
    assertThat(found.message()).contains("broker broker-1", "exactly as it was checked");
    assertThat(found.checked()).isEqualTo(found.found());
  }

  @Test
  void aScaleShowsItsReplicas() {
    StoredRecord decided = decision(deployment(2));
    assertThat(RecoveryPlan.found(decided, null, OperationType.SCALE, 4, deployment(4)).applied())
        .isTrue();
    assertThat(RecoveryPlan.found(decided, null, OperationType.SCALE, 4, deployment(3)).applied())
        .isFalse();
    assertThat(RecoveryPlan.found(decided, null, OperationType.SCALE, 4, null).applied()).isFalse();
  }

  @Test
  void aCreateShowsItsObject_andADeleteItsAbsence() {
    StoredRecord absent = decision(null);
    assertThat(
            RecoveryPlan.found(absent, null, OperationType.CREATE, null, deployment(1)).applied())
        .isTrue();
    assertThat(RecoveryPlan.found(absent, null, OperationType.CREATE, null, null).applied())
        .isFalse();
    StoredRecord present = decision(deployment(1));
    assertThat(RecoveryPlan.found(present, null, OperationType.DELETE, null, null).applied())
        .isTrue();
  }

  @Test
  void aChangedPatchTarget_isNeverVouchedFor() {
    RecoveryPlan.Found found =
        RecoveryPlan.found(decision(deployment(2)), null, OperationType.PATCH, null, deployment(3));
    assertThat(found.applied()).isFalse();
    assertThat(found.message()).contains("does not vouch");
  }

  @Test
  void aContractGone_isNotVouchedFor() {
    RecoveryPlan.Found found = RecoveryPlan.contractGone(decision(deployment(2)), "broker-9");
    assertThat(found.applied()).isFalse();
    assertThat(found.message()).contains("broker broker-1", "contract is gone", "does not vouch");
  }

  @Test
  void anUnreadableDecision_namesTheClaimant_andIsNotApplied() {
    StoredRecord unreadable = new StoredRecord(DECISION_NAME, Kind.DECISION, null, null);
    RecoveryPlan.Found found =
        RecoveryPlan.found(unreadable, "broker-9", OperationType.PATCH, null, deployment(2));
    assertThat(found.applied()).isFalse();
    assertThat(found.checked()).isNull();
    assertThat(found.message()).contains("broker broker-9");
  }
}
