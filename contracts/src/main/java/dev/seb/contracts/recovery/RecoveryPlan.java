package dev.seb.contracts.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.proposal.Ending;
import dev.seb.contracts.proposal.ProposalStatusWriter.Decided;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import dev.seb.contracts.v1alpha1.OperationType;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a broker does with a proposal another broker claimed and left (it died, stalled past its
 * claim, or recorded a decision before this one could): decided from the proposal's records alone,
 * then, where the mutation may have happened, from the target's state. Nothing here is executed
 * again: a decision record means the write may have happened, and only the target tells whether.
 */
public final class RecoveryPlan {

  private RecoveryPlan() {}

  /**
   * One stored record about the proposal.
   *
   * @param name the ExecutionRecord's name
   * @param chain the chain that signed it (its {@code seb.dev/chain} label); may be null
   * @param content what it says; null when it cannot be read
   */
  public record StoredRecord(String name, Kind kind, String chain, RecordDraft content) {
    public StoredRecord {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
    }
  }

  /** The step a recovery takes. */
  public sealed interface Step {}

  /**
   * The holder recorded how the proposal ended (a denial, or an outcome) and only the status is
   * missing: it is restored from {@code last}, {@code decided} being the decision record.
   */
  public record Restore(StoredRecord decided, StoredRecord last) implements Step {}

  /** The holder died before recording any decision: nothing was minted or written. */
  public record DecideAgain() implements Step {}

  /**
   * The holder recorded an admission and no outcome: its identities are revoked (and the authorizer
   * seen refusing them), then the outcome is recorded from what the target shows.
   */
  public record RevokeThenRecord(StoredRecord decision) implements Step {}

  /**
   * The step for a proposal whose records are {@code records}; {@code decisionName} is the name its
   * decision record has ({@code decision-<uid>}), which only one record can have.
   */
  public static Step plan(String decisionName, List<StoredRecord> records) {
    Optional<StoredRecord> decision = first(records, Kind.DECISION);
    Optional<StoredRecord> denial =
        records.stream()
            .filter(r -> r.kind() == Kind.DENIAL && r.name().equals(decisionName))
            .findFirst();
    if (decision.isEmpty() && denial.isPresent()) {
      // a denial or hold that was recorded stands as recorded (deciding again would only meet it
      // as a REPLAY and lose its reason)
      return new Restore(denial.get(), denial.get());
    }
    Optional<StoredRecord> outcome = first(records, Kind.OUTCOME);
    if (outcome.isPresent()) {
      return new Restore(decision.orElse(outcome.get()), outcome.get());
    }
    return decision.<Step>map(RevokeThenRecord::new).orElseGet(DecideAgain::new);
  }

  /** The status facts a {@link Restore} writes. */
  public static Decided restored(Restore restore) {
    RecordDraft last = restore.last().content();
    RecordDraft decided = restore.decided().content();
    String decisionRecord = restore.decided().name();
    if (last == null || decided == null) {
      return new Decided(
          null,
          decisionRecord,
          null,
          new Ending.Unrecorded(
              false,
              new Reason(
                  ReasonCode.INTERNAL_ERROR,
                  "decided before by an interrupted broker, whose record "
                      + (last == null ? restore.last() : restore.decided()).name()
                      + " cannot be read")));
    }
    Ending ending;
    if (last.kind() == Kind.OUTCOME) {
      ending =
          last.executed()
              ? new Ending.Executed(restore.last().name(), instant(last.completedAt()))
              : new Ending.NotExecuted(
                  restore.last().name(), firstReason(last), instant(last.completedAt()));
    } else {
      ending = new Ending.Refused(last.decision(), firstReason(last));
    }
    return new Decided(
        last.proposal().proposalDigest(), decisionRecord, instant(decided.decidedAt()), ending);
  }

  /**
   * What the target shows about an admitted proposal whose holder was interrupted after deciding.
   *
   * @param applied whether the target shows the change (recorded as executed)
   * @param message why, naming the broker that decided
   * @param checked the state digest the decision record says was checked; null if unreadable
   * @param found the state digest the target has now
   */
  public record Found(boolean applied, String message, String checked, String found) {}

  /**
   * Reads the target's state against the checked one. A target exactly as checked was not changed.
   * A scale shows its replica count, a create its object, a delete its absence; a patch's effect
   * cannot be told apart from anyone else's and is never vouched for.
   *
   * @param decision the decision record of the interrupted broker
   * @param claimant the broker named by the lapsed claim, used when the record names no chain
   * @param live the target as read now; null when absent
   */
  public static Found found(
      StoredRecord decision, String claimant, OperationType type, Integer replicas, JsonNode live) {
    String checked = decision.content() == null ? null : decision.content().preState();
    String now = Digests.state(live);
    boolean unchanged = checked != null && checked.equals(now);
    boolean applied =
        !unchanged
            && switch (type) {
              case SCALE ->
                  live != null && Objects.equals(live.at("/spec/replicas").asInt(-1), replicas);
              case CREATE -> live != null;
              case DELETE -> live == null;
              case PATCH, AWS_CALL -> false;
            };
    String interrupted =
        "broker " + decider(decision, claimant) + " was interrupted after deciding; ";
    String message;
    if (unchanged) {
      message =
          interrupted
              + "the target is exactly as it was checked, so the change was not applied; it is"
              + " not executed again";
    } else if (type == OperationType.PATCH) {
      message =
          interrupted
              + "the target changed after it was checked, and whether by this proposal's patch"
              + " cannot be told from its state; seb does not vouch that it was executed, and it"
              + " is not executed again";
    } else if (applied) {
      message = interrupted + "the target shows the change was applied; it is not executed again";
    } else {
      message =
          interrupted + "the target shows the change was not applied; it is not executed again";
    }
    return new Found(applied, message, checked, now);
  }

  /**
   * The contract the interrupted broker decided under is gone, so the target cannot be named: seb
   * does not vouch that the change was applied, and never applies it.
   */
  public static Found contractGone(StoredRecord decision, String claimant) {
    return new Found(
        false,
        "broker "
            + decider(decision, claimant)
            + " was interrupted after deciding, and the contract is gone, so the target cannot be"
            + " read; seb does not vouch that it was executed, and it is not executed again",
        decision.content() == null ? null : decision.content().preState(),
        null);
  }

  /** The broker whose chain holds the decision; the lapsed claim's holder when it names none. */
  private static String decider(StoredRecord decision, String claimant) {
    return decision.chain() != null ? decision.chain() : claimant;
  }

  private static Optional<StoredRecord> first(List<StoredRecord> records, Kind kind) {
    return records.stream().filter(r -> r.kind() == kind).findFirst();
  }

  private static Reason firstReason(RecordDraft content) {
    return content.reasons().isEmpty()
        ? new Reason(ReasonCode.INTERNAL_ERROR, "the record states no reason")
        : content.reasons().get(0);
  }

  private static String instant(Instant instant) {
    return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}
