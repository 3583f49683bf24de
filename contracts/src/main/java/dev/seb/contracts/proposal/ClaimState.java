package dev.seb.contracts.proposal;

import dev.seb.contracts.v1alpha1.MutationProposalStatus.Claim;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What a proposal's claim means to one broker process: free to claim, held by this very process,
 * held by another until a time, or lapsed (its holder died or stalled: what it left is recovered).
 */
public sealed interface ClaimState {

  /** No broker claimed the proposal. */
  record Free() implements ClaimState {}

  /** This process holds the claim (it is reconciled again after its own status write failed). */
  record Ours(Claim claim) implements ClaimState {}

  /** Another broker, or an earlier life of this instance, holds it until {@code until}. */
  record Held(Claim claim, Instant until) implements ClaimState {}

  /** The claim lapsed without a decision in the status: what its holder left is recovered. */
  record Lapsed(Claim claim) implements ClaimState {}

  /**
   * The claim as seen by {@code holder}/{@code process} at {@code now}. The instance name alone
   * does not make a claim ours: a broker restarted under the same name is a new process. An
   * unreadable expiry counts as lapsed.
   */
  static ClaimState of(Claim claim, String holder, String process, Instant now) {
    if (claim == null) {
      return new Free();
    }
    if (holder.equals(claim.holder()) && process.equals(claim.process())) {
      return new Ours(claim);
    }
    Instant until = expiry(claim);
    return now.isBefore(until) ? new Held(claim, until) : new Lapsed(claim);
  }

  /** When the claim lapses; {@link Instant#EPOCH} when unreadable. */
  static Instant expiry(Claim claim) {
    try {
      return Instant.parse(claim.expiresAt());
    } catch (DateTimeParseException | NullPointerException e) {
      return Instant.EPOCH;
    }
  }
}
