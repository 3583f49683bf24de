package dev.seb.contracts.proposal;

import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Claim;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The one writer of {@link MutationProposalStatus}: every status the broker stores is made here,
 * and each one is checked against the invariants before it leaves ({@link #check}). Inputs are
 * never modified; each call returns a new status.
 *
 * <p>Conditions, for {@code kubectl wait} and {@code kubectl describe}:
 *
 * <ul>
 *   <li>{@code Decided}: set True by the broker once the decision is recorded; reason {@code
 *       ADMIT}, {@code HOLD} or the deciding reason code of a denial. It never flips back: once
 *       True it keeps its reason, message and transition time, whatever is written later.
 *   <li>{@code Executed}: set with the decision's end: True (reason {@code Executed}) when the
 *       mutation was performed, else False with the reason code of why not ({@code Held} for a
 *       hold).
 * </ul>
 */
public final class ProposalStatusWriter {

  /** Condition type: the proposal was decided. */
  public static final String DECIDED = "Decided";

  /** Condition type: whether the decided mutation was performed. */
  public static final String EXECUTED = "Executed";

  private final Clock clock;

  public ProposalStatusWriter(Clock clock) {
    this.clock = clock;
  }

  /**
   * What a decision established.
   *
   * @param proposalDigest the digest the decision covers; null when the proposal could not be read
   * @param decisionRecord the decision (or denial) record's name; null when none could be stored
   * @param decidedAt when (RFC 3339)
   */
  public record Decided(
      String proposalDigest, String decisionRecord, String decidedAt, Ending ending) {}

  /** The status with this broker's claim on it; refused on a decided proposal. */
  public MutationProposalStatus claimed(
      MutationProposalStatus current, Claim claim, Long generation, String submittedBy) {
    MutationProposalStatus next = copy(current);
    if (next.getDecision() != null) {
      throw new IllegalStateException("a decided proposal is not claimed again");
    }
    next.setExecuted(null); // what is left of a decision an admin reset is not a decision
    next.setClaim(claim);
    next.setObservedGeneration(generation);
    next.setSubmittedBy(submittedBy);
    return checked(next);
  }

  /** Reason of {@code Decided=False} while an error keeps the broker from deciding. */
  public static final String RECONCILE_ERROR = "ReconcileError";

  /**
   * The status of an undecided proposal whose reconcile failed with an error (it is retried):
   * {@code Decided=False} with reason {@value #RECONCILE_ERROR} and the error's message. A decided
   * proposal's status is returned unchanged: an error never touches a decision.
   */
  public MutationProposalStatus retrying(
      MutationProposalStatus current, Long generation, String error) {
    MutationProposalStatus next = copy(current);
    if (next.getDecision() != null) {
      return next;
    }
    next.setConditions(
        Conditions.set(
            next.getConditions(),
            DECIDED,
            false,
            RECONCILE_ERROR,
            cut("not decided yet, retrying: " + error),
            generation,
            clock));
    return checked(next);
  }

  /** The status of a proposal decided and ended as {@code facts} says. */
  public MutationProposalStatus decided(MutationProposalStatus current, Decided facts) {
    MutationProposalStatus next = copy(current);
    next.setProposalDigest(facts.proposalDigest());
    next.setDecisionRecord(facts.decisionRecord());
    next.setDecidedAt(facts.decidedAt());
    Ending ending = facts.ending();
    String decidedReason;
    if (ending instanceof Ending.Refused refused) {
      next.setDecision(refused.decision());
      next.setExecuted(false);
      next.setReasons(List.of(refused.reason()));
      decidedReason = refused.decision() == Decision.HOLD ? "HOLD" : refused.reason().code().name();
      executed(next, false, refused.decision() == Decision.HOLD ? "Held" : decidedReason, null);
    } else if (ending instanceof Ending.Executed done) {
      next.setDecision(Decision.ADMIT);
      next.setExecuted(true);
      next.setReasons(List.of());
      next.setOutcomeRecord(done.outcomeRecord());
      next.setCompletedAt(done.completedAt());
      decidedReason = "ADMIT";
      executed(
          next,
          true,
          "Executed",
          "performed by a minted identity; outcome record " + done.outcomeRecord());
    } else if (ending instanceof Ending.NotExecuted failed) {
      // an admitted proposal that did not execute is a denial: nothing it asked for happened
      next.setDecision(Decision.DENY);
      next.setExecuted(false);
      next.setReasons(List.of(failed.reason()));
      next.setOutcomeRecord(failed.outcomeRecord());
      next.setCompletedAt(failed.completedAt());
      decidedReason = "ADMIT";
      executed(next, false, failed.reason().code().name(), null);
    } else {
      Ending.Unrecorded unrecorded = (Ending.Unrecorded) ending;
      next.setDecision(unrecorded.executed() ? Decision.ADMIT : Decision.DENY);
      next.setExecuted(unrecorded.executed());
      next.setReasons(List.of(unrecorded.reason()));
      decidedReason = unrecorded.executed() ? "ADMIT" : unrecorded.reason().code().name();
      executed(next, unrecorded.executed(), unrecorded.reason().code().name(), null);
    }
    if (!Conditions.isTrue(next.getConditions(), DECIDED)) {
      next.setConditions(
          Conditions.set(
              next.getConditions(),
              DECIDED,
              true,
              decidedReason,
              message(next),
              next.getObservedGeneration(),
              clock));
    }
    return checked(next);
  }

  private void executed(MutationProposalStatus next, boolean done, String reason, String text) {
    String message = text == null ? message(next) : text;
    next.setConditions(
        Conditions.set(
            next.getConditions(),
            EXECUTED,
            done,
            reason,
            message,
            next.getObservedGeneration(),
            clock));
  }

  /** Longest condition message: the reasons and the signed records keep the whole text. */
  static final int MESSAGE_LIMIT = 1024;

  private static String message(MutationProposalStatus status) {
    String message =
        status.getReasons().isEmpty()
            ? status.getDecision() + "; decision record " + status.getDecisionRecord()
            : status.getReasons().get(0).message();
    return cut(message);
  }

  private static String cut(String message) {
    return message == null || message.length() <= MESSAGE_LIMIT
        ? message
        : message.substring(0, MESSAGE_LIMIT - 1) + "…";
  }

  /**
   * Throws when the status breaks what seb promises about it: once decided, {@code executed} is
   * set; an unexecuted proposal is not ADMIT and says why; an executed one is ADMIT; the {@code
   * Decided} condition is True exactly when there is a decision, and {@code Executed} agrees with
   * {@code executed}.
   */
  public static void check(MutationProposalStatus status) {
    Decision decision = status.getDecision();
    boolean decided = Conditions.isTrue(status.getConditions(), DECIDED);
    if (decision == null) {
      // a Decided condition may outlive a decision an admin reset (it never flips back)
      if (status.getExecuted() != null) {
        throw new IllegalStateException("not decided, but executed is set");
      }
      return;
    }
    if (status.getExecuted() == null) {
      throw new IllegalStateException("decided " + decision + " without executed");
    }
    if (!decided) {
      throw new IllegalStateException("decided " + decision + " without the Decided condition");
    }
    boolean executed = status.getExecuted();
    if (executed != (decision == Decision.ADMIT)) {
      throw new IllegalStateException(
          "decision "
              + decision
              + " with executed="
              + executed
              + ": an unexecuted outcome is a denial");
    }
    if (!executed && status.getReasons().isEmpty()) {
      throw new IllegalStateException("not executed, and no reason why");
    }
    Optional<Condition> executedCondition = Conditions.find(status.getConditions(), EXECUTED);
    if (executedCondition.isEmpty()
        || executed != "True".equals(executedCondition.get().getStatus())) {
      throw new IllegalStateException("the Executed condition disagrees with executed=" + executed);
    }
  }

  private static MutationProposalStatus checked(MutationProposalStatus status) {
    check(status);
    return status;
  }

  private static MutationProposalStatus copy(MutationProposalStatus current) {
    return current == null
        ? new MutationProposalStatus()
        : CanonicalJson.mapper().convertValue(current, MutationProposalStatus.class);
  }
}
