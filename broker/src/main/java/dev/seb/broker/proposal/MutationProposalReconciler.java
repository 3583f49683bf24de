package dev.seb.broker.proposal;

import dev.seb.broker.decision.DecisionInputs;
import dev.seb.broker.decision.Decisions;
import dev.seb.broker.execution.Execution;
import dev.seb.broker.record.ChainLease;
import dev.seb.broker.record.RecordLog;
import dev.seb.broker.recovery.Recovery;
import dev.seb.broker.runtime.ProposalTraces;
import dev.seb.broker.runtime.Stages;
import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.execution.Decision;
import dev.seb.contracts.execution.DecisionInput;
import dev.seb.contracts.proposal.ClaimState;
import dev.seb.contracts.proposal.ProposalStatusWriter.Decided;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Claim;
import dev.seb.runtime.event.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The broker's pipeline for one MutationProposal (ARCHITECTURE.md section 5), each step its own
 * class: the state of the proposal; recovery of what a lapsed claim left ({@link Recovery}); the
 * claim ({@link ProposalClaims}); gathering every input fresh ({@link DecisionInputs}); the pure
 * decision ({@link Decisions}); then execution of an admission, steps 9 to 11 ({@link Execution}),
 * or the record of a refusal ({@link Denials}); and the status ({@link ProposalStatuses}). A
 * decided proposal is never decided again.
 */
@ControllerConfiguration(name = "mutationproposal")
public class MutationProposalReconciler implements Reconciler<MutationProposal> {

  private static final Logger LOG = Logger.getLogger(MutationProposalReconciler.class);

  /** Log fields every line about a proposal carries (JSON fields in production). */
  public static final String MDC_PROPOSAL = "proposal";

  public static final String MDC_PROPOSAL_UID = "proposalUid";

  private static final Duration CLAIM_CONTENDED = Duration.ofSeconds(1);
  private static final Duration LOCK_WAIT = Duration.ofSeconds(2);
  private static final Duration IDENTITIES_STILL_AUTHORIZED = Duration.ofSeconds(5);

  /** When a proposal whose retries are used up is reconciled again. */
  static final Duration AFTER_RETRIES = Duration.ofMinutes(1);

  private final RecordLog records;
  private final ProposalClaims claims;
  private final Recovery recovery;
  private final DecisionInputs inputs;
  private final Decisions decisions;
  private final Execution execution;
  private final Denials denials;
  private final ProposalStatuses statuses;
  private final SerialTargets serial;
  private final ProposalTraces traces;
  private final Stages stages;
  private final EventRecorder events;
  private final Clock clock;

  public MutationProposalReconciler(
      RecordLog records,
      ProposalClaims claims,
      Recovery recovery,
      DecisionInputs inputs,
      Decisions decisions,
      Execution execution,
      Denials denials,
      ProposalStatuses statuses,
      SerialTargets serial,
      ProposalTraces traces,
      Stages stages,
      EventRecorder events,
      Clock clock) {
    this.records = records;
    this.claims = claims;
    this.recovery = recovery;
    this.inputs = inputs;
    this.decisions = decisions;
    this.execution = execution;
    this.denials = denials;
    this.statuses = statuses;
    this.serial = serial;
    this.traces = traces;
    this.stages = stages;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<MutationProposal> reconcile(
      MutationProposal proposal, Context<MutationProposal> context) {
    MDC.put(
        MDC_PROPOSAL,
        proposal.getMetadata().getNamespace() + "/" + proposal.getMetadata().getName());
    MDC.put(MDC_PROPOSAL_UID, String.valueOf(proposal.getMetadata().getUid()));
    try (ProposalTraces.Current trace = traces.reconcile(proposal)) {
      return reconcileTagged(proposal);
    } finally {
      MDC.remove(MDC_PROPOSAL);
      MDC.remove(MDC_PROPOSAL_UID);
    }
  }

  private UpdateControl<MutationProposal> reconcileTagged(MutationProposal proposal) {
    // 1. the state of the proposal
    if (proposal.getStatus() != null && proposal.getStatus().getDecision() != null) {
      return UpdateControl.noUpdate(); // decided once, never again
    }
    if (!records.writable()) {
      // another process writes this instance's chain, or this one has not got it yet: nothing is
      // claimed, and other instances decide meanwhile
      return retryAfter(ChainLease.RETRY);
    }
    ClaimState claim = claims.state(proposal);
    if (claim instanceof ClaimState.Held held) {
      return retryAfter(Duration.between(clock.instant(), held.until()).plusMillis(100));
    }
    if (claim instanceof ClaimState.Lapsed || claim instanceof ClaimState.Ours) {
      // a lapsed claim: its holder died or stalled. Our own: this process's status write failed.
      // Either way what was recorded stands; nothing is decided or executed twice.
      Recovery.Result recovered = recover(proposal, proposal.getStatus().getClaim());
      if (recovered instanceof Recovery.Recovered done) {
        return statuses.write(proposal, done.decided());
      }
      if (recovered instanceof Recovery.NotYet) {
        return retryAfter(IDENTITIES_STILL_AUTHORIZED);
      }
      // nothing was decided before: decided afresh below, under a new claim
    }
    return decide(proposal);
  }

  /** Steps 2 to 11: claim, gather, decide, then execute or record the refusal. */
  private UpdateControl<MutationProposal> decide(MutationProposal proposal) {
    Lock lock = serial.of(proposal);
    if (!acquired(lock)) {
      return retryAfter(CLAIM_CONTENDED); // the reconcile thread goes on with other proposals
    }
    try {
      // the inputs do not depend on the claim: they are read while claiming
      CompletableFuture<DecisionInput> gathered = inputs.start(proposal);
      Optional<MutationProposal> claimed = claims.claim(proposal);
      if (claimed.isEmpty()) {
        return retryAfter(CLAIM_CONTENDED);
      }
      Decision decision = decisions.decide(gathered);
      String decidedAt = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
      ProposalRef ref =
          new ProposalRef(
              proposal.getMetadata().getNamespace(),
              proposal.getMetadata().getName(),
              proposal.getMetadata().getUid(),
              decision.proposalDigest());
      try {
        return statuses.write(
            claimed.get(),
            carryOut(
                decision,
                ref,
                proposal.getMetadata().getCreationTimestamp(),
                decidedAt,
                claims.expiry(claimed.get())));
      } catch (RecordLog.AlreadyDecided e) {
        // another broker recorded a decision about it since this one looked (one stalled past its
        // claim): this broker recorded nothing; what the other did is recovered, never redone
        LOG.warnf("%s; recovering what that broker did", e.getMessage());
        Recovery.Result recovered = recover(claimed.get(), claimed.get().getStatus().getClaim());
        return recovered instanceof Recovery.Recovered done
            ? statuses.write(claimed.get(), done.decided())
            : retryAfter(IDENTITIES_STILL_AUTHORIZED);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether the lock was taken within a moment (interrupted: not taken). */
  private static boolean acquired(Lock lock) {
    try {
      return lock.tryLock(LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Recovery.Result recover(MutationProposal proposal, Claim lapsed) {
    try (Stages.Stage stage = stages.begin("recover")) {
      Recovery.Result result = recovery.recover(proposal, lapsed);
      if (result instanceof Recovery.Recovered) {
        events.record(
            proposal,
            EventReason.PROPOSAL_RECOVERED,
            "left by broker " + (lapsed == null ? null : lapsed.holder()) + "; not executed again");
      }
      return result;
    }
  }

  private Decided carryOut(
      Decision decision,
      ProposalRef ref,
      String createdAt,
      String decidedAt,
      java.time.Instant claimedUntil)
      throws RecordLog.AlreadyDecided {
    if (decision instanceof Decision.Admit admit) {
      Execution.Result result = execution.run(admit.execution(), ref, createdAt, claimedUntil);
      return new Decided(ref.proposalDigest(), result.decisionRecord(), decidedAt, result.ending());
    }
    Denials.Recorded refused = denials.record(decision, ref);
    return new Decided(ref.proposalDigest(), refused.record(), decidedAt, refused.ending());
  }

  /**
   * An error escaped the pipeline (it is retried): an undecided proposal says so in {@code
   * Decided=False ReconcileError}. The report builds on the proposal as stored now, never on what
   * the failed reconcile left on its object, and is written conditioned on that resourceVersion: a
   * proposal decided meanwhile by another broker, or claimed by one, is left alone. After the
   * framework's last retry, the proposal is reconciled again a minute later.
   */
  @Override
  public ErrorStatusUpdateControl<MutationProposal> updateErrorStatus(
      MutationProposal proposal, Context<MutationProposal> context, Exception e) {
    LOG.errorf(e, "reconcile failed, retrying: %s", e.getMessage());
    events.record(proposal, EventReason.RECONCILE_ERROR, String.valueOf(e.getMessage()));
    statuses.reportError(proposal, e);
    ErrorStatusUpdateControl<MutationProposal> control = ErrorStatusUpdateControl.noStatusUpdate();
    boolean lastAttempt =
        context != null && context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(false);
    return lastAttempt ? control.rescheduleAfter(AFTER_RETRIES) : control;
  }

  private static UpdateControl<MutationProposal> retryAfter(Duration delay) {
    return UpdateControl.<MutationProposal>noUpdate().rescheduleAfter(delay);
  }
}
