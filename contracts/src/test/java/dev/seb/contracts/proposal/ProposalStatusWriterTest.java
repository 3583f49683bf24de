package dev.seb.contracts.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.proposal.ProposalStatusWriter.Decided;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Claim;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The invariants of every status the broker writes, in one place. */
class ProposalStatusWriterTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Reason SCOPE = new Reason(ReasonCode.SCOPE_VIOLATION, "replicas 9 > 5");
  private static final Reason DRIFT = new Reason(ReasonCode.DRIFT_DETECTED, "changed");
  private static final Claim CLAIM = new Claim("broker-0", "abcd1234", "2026-12-07T10:02:00Z");

  private final ProposalStatusWriter writer = new ProposalStatusWriter(at(T0));

  private MutationProposalStatus claimed() {
    return writer.claimed(null, CLAIM, 1L, "alice");
  }

  private static Decided facts(Ending ending) {
    return new Decided("sha256:" + "a".repeat(64), "decision-u1", "2026-12-07T10:00:01Z", ending);
  }

  private static Condition condition(MutationProposalStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow();
  }

  @Test
  void aClaim_isTyped_andLeavesTheProposalUndecided() {
    MutationProposalStatus status = claimed();
    assertThat(status.getClaim()).isEqualTo(CLAIM);
    assertThat(status.getSubmittedBy()).isEqualTo("alice");
    assertThat(status.getDecision()).isNull();
    assertThat(status.getExecuted()).isNull();
    assertThat(Conditions.find(status.getConditions(), ProposalStatusWriter.DECIDED)).isEmpty();
  }

  @Test
  void anExecution_isAdmitExecuted_withBothConditionsTrue() {
    MutationProposalStatus status =
        writer.decided(claimed(), facts(new Ending.Executed("broker-0-2", "2026-12-07T10:00:02Z")));
    assertThat(status.getDecision()).isEqualTo(Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    assertThat(status.getOutcomeRecord()).isEqualTo("broker-0-2");
    assertThat(status.getClaim()).as("the last holder stays visible").isEqualTo(CLAIM);
    assertThat(condition(status, "Decided").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Decided").getReason()).isEqualTo("ADMIT");
    assertThat(condition(status, "Executed").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Executed").getReason()).isEqualTo("Executed");
  }

  @Test
  void aDenial_isDecidedWithItsReasonCode_andNotExecuted() {
    MutationProposalStatus status =
        writer.decided(claimed(), facts(new Ending.Refused(Decision.DENY, SCOPE)));
    assertThat(status.getDecision()).isEqualTo(Decision.DENY);
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getReasons()).containsExactly(SCOPE);
    assertThat(condition(status, "Decided").getReason()).isEqualTo("SCOPE_VIOLATION");
    assertThat(condition(status, "Decided").getMessage()).isEqualTo("replicas 9 > 5");
    assertThat(condition(status, "Executed").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Executed").getReason()).isEqualTo("SCOPE_VIOLATION");
  }

  @Test
  void aHold_isDecidedHold() {
    Reason approval = new Reason(ReasonCode.APPROVAL_REQUIRED, "two approvers");
    MutationProposalStatus status =
        writer.decided(claimed(), facts(new Ending.Refused(Decision.HOLD, approval)));
    assertThat(status.getDecision()).isEqualTo(Decision.HOLD);
    assertThat(condition(status, "Decided").getReason()).isEqualTo("HOLD");
    assertThat(condition(status, "Executed").getReason()).isEqualTo("Held");
  }

  @Test
  void anAdmissionThatDidNotExecute_isADenial_butWasDecidedAdmit() {
    MutationProposalStatus status =
        writer.decided(
            claimed(), facts(new Ending.NotExecuted("broker-0-3", DRIFT, "2026-12-07T10:00:02Z")));
    assertThat(status.getDecision()).isEqualTo(Decision.DENY);
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getReasons()).containsExactly(DRIFT);
    assertThat(condition(status, "Decided").getReason()).isEqualTo("ADMIT");
    assertThat(condition(status, "Executed").getReason()).isEqualTo("DRIFT_DETECTED");
  }

  @Test
  void anUnrecordedEnding_saysTruthfullyWhetherTheWriteHappened() {
    Reason lost = new Reason(ReasonCode.INTERNAL_ERROR, "executed, but the outcome record failed");
    MutationProposalStatus executed =
        writer.decided(claimed(), facts(new Ending.Unrecorded(true, lost)));
    assertThat(executed.getDecision()).isEqualTo(Decision.ADMIT);
    assertThat(executed.getExecuted()).isTrue();
    assertThat(condition(executed, "Executed").getStatus()).isEqualTo("True");

    MutationProposalStatus not =
        writer.decided(claimed(), facts(new Ending.Unrecorded(false, lost)));
    assertThat(not.getDecision()).isEqualTo(Decision.DENY);
    assertThat(not.getExecuted()).isFalse();
    assertThat(condition(not, "Decided").getReason()).isEqualTo("INTERNAL_ERROR");
  }

  @Test
  void decided_neverFlipsBack() {
    MutationProposalStatus first =
        writer.decided(claimed(), facts(new Ending.Executed("broker-0-2", "t")));
    Condition decided = condition(first, "Decided");
    // the status is reset by hand and the proposal met again as a replay: a later writer (an hour
    // later) keeps the Decided condition it found, reason, message and time
    first.setDecision(null);
    first.setExecuted(null);
    Reason replay = new Reason(ReasonCode.REPLAY, "decided before");
    ProposalStatusWriter later = new ProposalStatusWriter(at(T0.plusSeconds(3600)));
    MutationProposalStatus again =
        later.decided(first, facts(new Ending.Refused(Decision.DENY, replay)));
    assertThat(condition(again, "Decided")).isEqualTo(decided);
    assertThat(again.getDecision()).isEqualTo(Decision.DENY);
  }

  @Test
  void theInputIsNeverModified() {
    MutationProposalStatus before = claimed();
    writer.decided(before, facts(new Ending.Refused(Decision.DENY, SCOPE)));
    assertThat(before.getDecision()).isNull();
    assertThat(before.getConditions()).isEmpty();
  }

  @Test
  void aDecidedProposal_isNotClaimedAgain() {
    MutationProposalStatus decided =
        writer.decided(claimed(), facts(new Ending.Refused(Decision.DENY, SCOPE)));
    assertThatThrownBy(() -> writer.claimed(decided, CLAIM, 1L, "alice"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void check_refusesEveryBrokenInvariant() {
    MutationProposalStatus good =
        writer.decided(claimed(), facts(new Ending.Refused(Decision.DENY, SCOPE)));
    ProposalStatusWriter.check(good);

    MutationProposalStatus noExecuted = copyOf(good);
    noExecuted.setExecuted(null);
    assertThatThrownBy(() -> ProposalStatusWriter.check(noExecuted))
        .hasMessageContaining("without executed");

    MutationProposalStatus admitNotExecuted = copyOf(good);
    admitNotExecuted.setDecision(Decision.ADMIT);
    assertThatThrownBy(() -> ProposalStatusWriter.check(admitNotExecuted))
        .hasMessageContaining("an unexecuted outcome is a denial");

    MutationProposalStatus denyExecuted = copyOf(good);
    denyExecuted.setExecuted(true);
    assertThatThrownBy(() -> ProposalStatusWriter.check(denyExecuted))
        .hasMessageContaining("an unexecuted outcome is a denial");

    MutationProposalStatus noReason = copyOf(good);
    noReason.setReasons(List.of());
    assertThatThrownBy(() -> ProposalStatusWriter.check(noReason))
        .hasMessageContaining("no reason");

    MutationProposalStatus noCondition = copyOf(good);
    noCondition.setConditions(List.of());
    assertThatThrownBy(() -> ProposalStatusWriter.check(noCondition))
        .hasMessageContaining("Decided");

    MutationProposalStatus executedButUndecided = new MutationProposalStatus();
    executedButUndecided.setExecuted(false);
    assertThatThrownBy(() -> ProposalStatusWriter.check(executedButUndecided))
        .hasMessageContaining("not decided");

    // a status an admin reset keeps its Decided condition; claiming it again drops executed
    MutationProposalStatus reset = copyOf(good);
    reset.setDecision(null);
    ProposalStatusWriter.check(withoutExecuted(reset));
    MutationProposalStatus reclaimed = writer.claimed(reset, CLAIM, 2L, "alice");
    assertThat(reclaimed.getExecuted()).isNull();
    assertThat(condition(reclaimed, "Decided")).isEqualTo(condition(good, "Decided"));
  }

  @Test
  void anError_marksAnUndecidedProposal_andNeverADecidedOne() {
    MutationProposalStatus retrying = writer.retrying(claimed(), 1L, "etcd timed out");
    assertThat(condition(retrying, "Decided").getStatus()).isEqualTo("False");
    assertThat(condition(retrying, "Decided").getReason()).isEqualTo("ReconcileError");
    assertThat(condition(retrying, "Decided").getMessage()).contains("etcd timed out");
    // deciding afterwards sets it True
    MutationProposalStatus decided =
        writer.decided(retrying, facts(new Ending.Refused(Decision.DENY, SCOPE)));
    assertThat(condition(decided, "Decided").getStatus()).isEqualTo("True");
    // and an error after the decision changes nothing
    assertThat(writer.retrying(decided, 1L, "late").getConditions())
        .isEqualTo(decided.getConditions());
  }

  @Test
  void conditionMessages_areCut_theReasonKeepsTheWholeText() {
    Reason long_ = new Reason(ReasonCode.SCOPE_VIOLATION, "x".repeat(100_000));
    MutationProposalStatus status =
        writer.decided(claimed(), facts(new Ending.Refused(Decision.DENY, long_)));
    assertThat(condition(status, "Decided").getMessage()).hasSize(1024);
    assertThat(condition(status, "Executed").getMessage()).hasSize(1024);
    assertThat(status.getReasons()).containsExactly(long_);
    assertThat(condition(writer.retrying(claimed(), 1L, "y".repeat(5000)), "Decided").getMessage())
        .hasSize(1024);
  }

  @Test
  void aRefusalCannotBeAnAdmit() {
    assertThatThrownBy(() -> new Ending.Refused(Decision.ADMIT, SCOPE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static MutationProposalStatus withoutExecuted(MutationProposalStatus status) {
    MutationProposalStatus copy = copyOf(status);
    copy.setExecuted(null);
    return copy;
  }

  private static MutationProposalStatus copyOf(MutationProposalStatus status) {
    return dev.seb.contracts.canonical.CanonicalJson.mapper()
        .convertValue(status, MutationProposalStatus.class);
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }
}
