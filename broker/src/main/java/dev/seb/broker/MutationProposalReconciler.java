package dev.seb.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.certificate.ContractCertificateVerifier;
import dev.seb.contracts.certificate.IssuerHint;
import dev.seb.contracts.epoch.EpochStatementVerifier;
import dev.seb.contracts.epoch.HighWaterMark;
import dev.seb.contracts.epoch.VerifiedEpochStatement;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.execution.Decision;
import dev.seb.contracts.execution.DecisionInput;
import dev.seb.contracts.execution.DecisionPipeline;
import dev.seb.contracts.mandate.MandateAuthority;
import dev.seb.contracts.record.MintedIdentity;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.time.ClockLeeway;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Decides each new MutationProposal with the contracts pipeline, re-verifying everything from the
 * stored objects (status written by the operator is a hint, never authority), and executes admitted
 * ones itself: decision record, scoped identity, conditioned write, revocation, outcome record, in
 * that order. Every denial is a signed record with executed=false.
 */
@ControllerConfiguration(name = "mutationproposal")
public class MutationProposalReconciler implements Reconciler<MutationProposal> {

  private static final Logger LOG = Logger.getLogger(MutationProposalReconciler.class);
  private static final ResourceDefinitionContext CONTRACTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("seb.dev")
          .withVersion("v1alpha1")
          .withPlural("executioncontracts")
          .withKind("ExecutionContract")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;
  private final Clock clock;
  private final BrokerConfig config;
  private final RecordLog records;
  private final IdentityMinter minter;
  private final DecisionPipeline pipeline;
  private final Event<IdentityRevoked> revoked;
  private final Event<ExecutionStarting> starting;
  private final Event<DecisionRecording> recording;
  private final MeterRegistry meters;
  private final IdentityClients identities;
  private final EpochMarks marks;
  private final ClockLeeway leeway;

  /** This process among restarts of the same instance; part of every claim it makes. */
  private final String process = UUID.randomUUID().toString().substring(0, 8);

  private final java.util.Map<String, java.util.concurrent.locks.Lock> targets =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<
          String, dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget>
      lastTargets = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, String> lastAnchors =
      new java.util.concurrent.ConcurrentHashMap<>();

  MutationProposalReconciler(
      KubernetesClient client,
      Clock clock,
      BrokerConfig config,
      RecordLog records,
      IdentityMinter minter,
      Event<IdentityRevoked> revoked,
      Event<ExecutionStarting> starting,
      Event<DecisionRecording> recording,
      MeterRegistry meters,
      IdentityClients identities,
      EpochMarks marks) {
    this.marks = marks;
    this.leeway = ClockLeeway.of(config.clockLeeway());
    this.recording = recording;
    this.identities = identities;
    this.revoked = revoked;
    this.starting = starting;
    this.meters = meters;
    this.client = client;
    this.clock = clock;
    this.config = config;
    this.records = records;
    this.minter = minter;
    this.pipeline = new DecisionPipeline(clock, leeway);
  }

  /** Log fields every line about a proposal carries (JSON fields in production). */
  static final String MDC_PROPOSAL = "proposal";

  static final String MDC_PROPOSAL_UID = "proposalUid";

  @Override
  public UpdateControl<MutationProposal> reconcile(
      MutationProposal proposal, Context<MutationProposal> context) {
    MDC.put(
        MDC_PROPOSAL,
        proposal.getMetadata().getNamespace() + "/" + proposal.getMetadata().getName());
    MDC.put(MDC_PROPOSAL_UID, String.valueOf(proposal.getMetadata().getUid()));
    try {
      return decideOnce(proposal);
    } finally {
      MDC.remove(MDC_PROPOSAL);
      MDC.remove(MDC_PROPOSAL_UID);
    }
  }

  private UpdateControl<MutationProposal> decideOnce(MutationProposal proposal) {
    if (proposal.getStatus() != null && proposal.getStatus().getDecision() != null) {
      return UpdateControl.noUpdate(); // decided once, never again
    }
    if (!records.writable()) {
      // no record could be written: another process writes this instance's chain, or this one has
      // not got it yet. Nothing is claimed; other instances decide meanwhile.
      return UpdateControl.<MutationProposal>noUpdate().rescheduleAfter(ChainLease.RETRY);
    }
    // exactly once across replicas: only the broker whose claim the API server accepted goes on
    Optional<Condition> claim =
        proposal.getStatus() == null
            ? Optional.empty()
            : Conditions.find(proposal.getStatus().getConditions(), CLAIMED);
    if (claim.isPresent()
        && ours(claim.get())
        && records.exists(
            proposal.getMetadata().getNamespace(),
            RecordLog.decisionName(proposal.getMetadata().getUid()))) {
      // this process decided it already and its status write failed (it is being reconciled
      // again): what it recorded stands; it is neither decided nor executed again
      return recoverInterrupted(proposal, claim.get());
    }
    if (claim.isPresent() && !ours(claim.get())) {
      Instant until = claimExpiry(claim.get());
      if (clock.instant().isBefore(until)) {
        return UpdateControl.<MutationProposal>noUpdate()
            .rescheduleAfter(Duration.between(clock.instant(), until).plusMillis(100));
      }
      return recoverInterrupted(proposal, claim.get());
    }
    String ns = proposal.getMetadata().getNamespace();
    String submittedBy =
        proposal.getMetadata().getAnnotations() == null
            ? null
            : proposal.getMetadata().getAnnotations().get(MutationProposal.SUBMITTED_BY_ANNOTATION);
    MutationProposalStatus status = new MutationProposalStatus();
    // one proposal per contract at a time in this broker: a second one is decided against the
    // state the first left, instead of failing on the resourceVersion the first one changed
    java.util.concurrent.locks.Lock serial =
        targets.computeIfAbsent(
            ns + "/" + (proposal.getSpec() == null ? "" : proposal.getSpec().contractRef()),
            key -> new java.util.concurrent.locks.ReentrantLock());
    serial.lock();
    try {
      // the inputs do not depend on the claim: they are read while claiming and used only once
      // the claim holds (a status write leaves spec and metadata as they were)
      MutationProposal unclaimed = proposal;
      var inputs = Parallel.start(() -> gather(unclaimed, submittedBy));
      try {
        Timer.Sample claiming = Timer.start(meters);
        proposal = claim(proposal);
        claiming.stop(stage("claim"));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return UpdateControl.<MutationProposal>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
        }
        throw e;
      }
      status.setConditions(proposal.getStatus().getConditions());
      status.setObservedGeneration(proposal.getMetadata().getGeneration());
      status.setSubmittedBy(submittedBy);
      Decision decision;
      Timer.Sample deciding = Timer.start(meters);
      try {
        decision = pipeline.decide(Parallel.result(inputs));
      } catch (RuntimeException e) {
        decision =
            new Decision.Deny(
                null,
                ReasonCode.INTERNAL_ERROR,
                "cannot read what the decision depends on: " + e.getMessage());
      }
      deciding.stop(stage("decide"));
      status.setProposalDigest(decision.proposalDigest());
      status.setDecidedAt(now());
      ProposalRef ref =
          new ProposalRef(
              ns,
              proposal.getMetadata().getName(),
              proposal.getMetadata().getUid(),
              decision.proposalDigest());
      try {
        if (decision instanceof Decision.Admit admit) {
          execute(admit.execution(), ref, status);
        } else {
          deny(
              ref,
              status,
              decision instanceof Decision.Hold
                  ? MutationProposalStatus.Decision.HOLD
                  : MutationProposalStatus.Decision.DENY,
              decision instanceof Decision.Deny d
                  ? d.reason()
                  : ((Decision.Hold) decision).reason(),
              decision instanceof Decision.Deny d
                  ? d.message()
                  : ((Decision.Hold) decision).message());
        }
      } catch (RecordLog.AlreadyDecided e) {
        // another broker recorded a decision about it since this one looked (one stalled past its
        // claim): this broker decided nothing and recorded nothing; what the other one did is
        // recovered like any interrupted broker's work, its identity revoked first
        LOG.warnf(
            "proposal %s/%s: %s; recovering what that broker did",
            ns, proposal.getMetadata().getName(), e.getMessage());
        return recoverInterrupted(proposal, Conditions.find(status.getConditions(), CLAIMED).get());
      } catch (VerificationException | RuntimeException e) {
        // a record could not be written (or anything else failed): the status says so truthfully.
        // Whether the write happened is in status.executed; it is never retried.
        LOG.errorf(e, "proposal %s/%s: %s", ns, proposal.getMetadata().getName(), e.getMessage());
        boolean executed = Boolean.TRUE.equals(status.getExecuted());
        status.setExecuted(executed);
        if (status.getOutcomeRecord() == null) {
          status.setDecision(
              executed
                  ? MutationProposalStatus.Decision.ADMIT
                  : MutationProposalStatus.Decision.DENY);
          status.setReasons(
              List.of(
                  new Reason(
                      ReasonCode.INTERNAL_ERROR,
                      (executed
                              ? "executed, but the outcome record could not be written: "
                              : "not executed: the decision could not be recorded: ")
                          + e.getMessage())));
        }
      }
    } finally {
      serial.unlock();
    }
    String reason =
        status.getReasons().isEmpty() ? "NONE" : status.getReasons().get(0).code().name();
    meters
        .counter(
            "seb.broker.decisions",
            "decision",
            String.valueOf(status.getDecision()),
            "reason",
            reason,
            "executed",
            String.valueOf(status.getExecuted()))
        .increment();
    LOG.infof(
        "proposal %s/%s: %s %s executed=%s%s",
        ns,
        proposal.getMetadata().getName(),
        status.getDecision(),
        reason,
        status.getExecuted(),
        status.getReasons().isEmpty() ? "" : ": " + status.getReasons().get(0).message());
    proposal.setStatus(status);
    if (outlivedClaim(proposal)) {
      // this broker was stalled past its claim: another may have recovered the proposal already,
      // and its status stays as that broker wrote it (this broker's records stand in its chain)
      MutationProposal fresh = client.resource(proposal).get();
      if (fresh == null || (fresh.getStatus() != null && fresh.getStatus().getDecision() != null)) {
        LOG.warnf(
            "proposal %s/%s was recovered by another broker while this one was stalled",
            ns, proposal.getMetadata().getName());
        return UpdateControl.noUpdate();
      }
    }
    return UpdateControl.patchStatus(proposal);
  }

  private boolean outlivedClaim(MutationProposal proposal) {
    return Conditions.find(proposal.getStatus().getConditions(), CLAIMED)
        .map(c -> !clock.instant().isBefore(claimExpiry(c)))
        .orElse(false);
  }

  private void execute(AdmittedExecution admitted, ProposalRef ref, MutationProposalStatus status)
      throws VerificationException, RecordLog.AlreadyDecided {
    String ns = ref.namespace();
    status.setDecision(MutationProposalStatus.Decision.ADMIT);
    status.setExecuted(false);
    // 9. the signed decision record comes before any identity exists
    recording.fire(new DecisionRecording(admitted));
    Timer.Sample recordTimer = Timer.start(meters);
    String decided;
    try {
      decided =
          records.appendDecision(
              RecordDraft.builder(Kind.DECISION)
                  .proposal(ref)
                  .decision(MutationProposalStatus.Decision.ADMIT)
                  .executed(false)
                  .preState(admitted.preState())
                  .decidedAt(clock.instant())
                  .build(),
              ns);
    } finally {
      recordTimer.stop(stage("record"));
    }
    status.setDecisionRecord(decided);
    TargetResource target = TargetResource.resolve(client, admitted.target());
    IdentityMinter.Minted minted;
    try {
      Timer.Sample minting = Timer.start(meters);
      minted = minter.mint(admitted, target, ref.uid());
      minting.stop(stage("mint"));
    } catch (RuntimeException e) {
      outcome(
          ref,
          status,
          false,
          ReasonCode.IDENTITY_MINT_FAILED,
          "the execution identity could not be minted: " + e.getMessage(),
          null,
          admitted.preState(),
          null);
      return;
    }
    ReasonCode failure = null;
    String message = null;
    JsonNode written = null;
    Timer.Sample executing = Timer.start(meters);
    Instant revokedAt = null;
    try (KubernetesClient identity = identities.as(minted.token())) {
      // 10. the mutation, by the minted identity only, conditioned on the checked resourceVersion
      starting.fire(new ExecutionStarting(admitted));
      written = new KubernetesExecutor(identity, minted.username(), target).execute(admitted);
      executing.stop(stage("execute"));
    } catch (VerificationException e) {
      failure = e.reason();
      message = e.getMessage();
    } catch (RuntimeException e) {
      failure = ReasonCode.EXECUTION_FAILED;
      message = "the write failed: " + e.getMessage();
    } finally {
      // 11. revoke as soon as the call returned
      revokedAt = revoke(minted);
    }
    MintedIdentity identity =
        new MintedIdentity(
            "kubernetes-serviceaccount", minted.username(), minted.expiresAt(), revokedAt);
    outcome(
        ref,
        status,
        failure == null,
        failure,
        message,
        identity,
        admitted.preState(),
        failure == null ? Digests.state(written) : null);
  }

  /**
   * Revokes a minted identity; returns when, or null if it could not be. A failed revocation does
   * not unmake the write: the outcome is recorded as it happened, its identity without revokedAt,
   * and the collector deletes what is left (whichever deletes went through took rights already).
   */
  private Instant revoke(IdentityMinter.Minted minted) {
    Timer.Sample revoking = Timer.start(meters);
    try {
      minter.revoke(minted);
      revoked.fire(new IdentityRevoked(minted.username(), minted.token()));
      return clock.instant();
    } catch (RuntimeException e) {
      LOG.errorf(
          e,
          "the execution identity %s could not be revoked; the collector removes it: %s",
          minted.username(),
          e.getMessage());
      return null;
    } finally {
      revoking.stop(stage("revoke"));
    }
  }

  /**
   * Records a denial (or hold) as the proposal's decision record; a REPLAY denial, whose proposal
   * has one already, under this broker's chain name. {@link RecordLog.AlreadyDecided} when another
   * broker recorded a decision about the proposal since this one looked.
   */
  private void deny(
      ProposalRef ref,
      MutationProposalStatus status,
      MutationProposalStatus.Decision decision,
      ReasonCode code,
      String message)
      throws VerificationException, RecordLog.AlreadyDecided {
    if (code == ReasonCode.REPLAY) {
      message += earlierOutcome(ref);
    }
    status.setDecision(decision);
    status.setReasons(List.of(new Reason(code, message)));
    status.setExecuted(false);
    RecordDraft draft =
        RecordDraft.builder(Kind.DENIAL)
            .proposal(ref)
            .decision(decision)
            .reason(code, message)
            .executed(false)
            .decidedAt(clock.instant())
            .build();
    if (code == ReasonCode.REPLAY) {
      status.setDecisionRecord(records.append(draft, ref.namespace()));
      return;
    }
    status.setDecisionRecord(records.appendDecision(draft, ref.namespace()));
  }

  private void outcome(
      ProposalRef ref,
      MutationProposalStatus status,
      boolean executed,
      ReasonCode failure,
      String message,
      MintedIdentity identity,
      String preState,
      String postState)
      throws VerificationException {
    RecordDraft.Builder draft =
        RecordDraft.builder(Kind.OUTCOME)
            .proposal(ref)
            .decision(MutationProposalStatus.Decision.ADMIT)
            .executed(executed)
            .preState(preState)
            .postState(postState)
            .decidedAt(clock.instant())
            .completedAt(clock.instant());
    if (identity != null) {
      draft.identity(identity);
    }
    if (!executed) {
      draft.reason(failure, message);
      status.setDecision(MutationProposalStatus.Decision.DENY);
      status.setReasons(List.of(new Reason(failure, message)));
    }
    status.setExecuted(executed);
    Timer.Sample recording = Timer.start(meters);
    status.setOutcomeRecord(records.append(draft.build(), ref.namespace()));
    recording.stop(stage("record"));
    status.setCompletedAt(now());
  }

  /** The latency histogram of one stage: claim, decide, record, mint, execute, revoke. */
  private Timer stage(String name) {
    return Timer.builder("seb.broker.stage")
        .tag("stage", name)
        .publishPercentileHistogram()
        .register(meters);
  }

  /** Condition type of a broker's claim on a proposal; its reason is the broker instance. */
  public static final String CLAIMED = "Claimed";

  /**
   * Claims the proposal with an update conditioned on the resourceVersion this broker saw: if
   * another broker claimed or changed it first, the API server answers 409.
   */
  private MutationProposal claim(MutationProposal proposal) {
    MutationProposalStatus claimed =
        proposal.getStatus() == null ? new MutationProposalStatus() : proposal.getStatus();
    claimed.setConditions(
        Conditions.set(
            claimed.getConditions(),
            CLAIMED,
            true,
            config.instance(),
            "until " + clock.instant().plus(config.claimDuration()) + " process " + process,
            proposal.getMetadata().getGeneration(),
            clock));
    proposal.setStatus(claimed);
    return client.resource(proposal).updateStatus();
  }

  /**
   * Whether this very process holds the claim. The instance name alone is not enough: a broker
   * restarted under the same name (a StatefulSet pod) is a new process, and what its previous life
   * left half done is recovered like any other broker's, never decided again as a replay.
   */
  private boolean ours(Condition claim) {
    return config.instance().equals(claim.getReason())
        && String.valueOf(claim.getMessage()).endsWith(" process " + process);
  }

  private static Instant claimExpiry(Condition claim) {
    try {
      return Instant.parse(claim.getMessage().split(" ")[1]);
    } catch (RuntimeException e) {
      return Instant.EPOCH; // unreadable: treat as expired
    }
  }

  /**
   * Another broker claimed the proposal and its claim expired without a decision: it died. If it
   * got as far as a decision record, the mutation may have happened; it is never executed again.
   * The outcome is recorded from the target's state where that tells (scale), else as interrupted.
   */
  private UpdateControl<MutationProposal> recoverInterrupted(
      MutationProposal proposal, Condition claim) {
    String ns = proposal.getMetadata().getNamespace();
    List<ExecutionRecord> earlier =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(ns)
            .withLabel(RecordLog.PROPOSAL_UID_LABEL, proposal.getMetadata().getUid())
            .list()
            .getItems();
    Optional<ExecutionRecord> decision =
        earlier.stream().filter(r -> r.getSpec().kind() == Kind.DECISION).findFirst();
    boolean decided = decision.isPresent();
    Optional<ExecutionRecord> denied =
        earlier.stream()
            .filter(r -> r.getSpec().kind() == Kind.DENIAL)
            .filter(
                r ->
                    RecordLog.decisionName(proposal.getMetadata().getUid())
                        .equals(r.getMetadata().getName()))
            .findFirst();
    if (!decided && denied.isPresent()) {
      // it died after recording a denial or hold, before writing the status: that decision
      // stands as recorded (deciding again would only meet it as a REPLAY and lose its reason)
      return restore(proposal, denied.get(), denied.get());
    }
    Optional<ExecutionRecord> outcome =
        earlier.stream().filter(r -> r.getSpec().kind() == Kind.OUTCOME).findFirst();
    if (outcome.isPresent()) {
      // it got as far as the outcome record: only the status is missing
      return restore(proposal, decision.orElse(outcome.get()), outcome.get());
    }
    if (!decided) {
      // it died before deciding: nothing was minted or written; decide afresh under a new claim
      proposal
          .getStatus()
          .setConditions(
              proposal.getStatus().getConditions().stream()
                  .filter(c -> !CLAIMED.equals(c.getType()))
                  .toList());
      return decideOnce(proposal);
    }
    MutationProposalStatus status = proposal.getStatus();
    ExecutionRecord decisionRecord = decision.get();
    status.setDecisionRecord(decisionRecord.getMetadata().getName());
    if (status.getProposalDigest() == null) {
      try {
        status.setProposalDigest(content(decisionRecord).proposal().proposalDigest());
      } catch (java.text.ParseException | VerificationException | RuntimeException e) {
        // the outcome then names the proposal without its digest
      }
    }
    ProposalRef ref =
        new ProposalRef(
            ns,
            proposal.getMetadata().getName(),
            proposal.getMetadata().getUid(),
            status.getProposalDigest());
    // first make sure no write for it can still happen (the stalled broker's identity goes now),
    // then the target's state is final and can be recorded
    List<String> orphans = minter.revokeAll(proposal.getMetadata().getUid());
    var operation = proposal.getSpec().operation();
    var type = operation.type();
    if (!orphans.isEmpty()) {
      LOG.warnf(
          "proposal %s/%s: revoked execution identities %s of interrupted broker %s",
          ns, proposal.getMetadata().getName(), orphans, claim.getReason());
      // the authorizer sees the deletion a moment later: until it refuses them, a late write by
      // the interrupted broker could still land after the state is read
      var target = contractTarget(ns, proposal.getSpec().contractRef());
      TargetResource resource = TargetResource.resolve(client, target);
      if (!minter.awaitRefused(orphans, resource, TargetResource.Access.of(type))) {
        LOG.warnf(
            "proposal %s/%s: the revoked identities are still authorized; recovering later",
            ns, proposal.getMetadata().getName());
        return UpdateControl.<MutationProposal>noUpdate().rescheduleAfter(Duration.ofSeconds(5));
      }
    }
    // what the target shows now, against the state the decision record says was checked
    String checked = checkedState(decisionRecord);
    var target = contractTarget(ns, proposal.getSpec().contractRef());
    GenericKubernetesResource found =
        client
            .genericKubernetesResources(target.apiVersion(), target.kind())
            .inNamespace(target.namespace())
            .withName(target.name())
            .get();
    JsonNode live = found == null ? null : CanonicalJson.mapper().valueToTree(found);
    String now = Digests.state(live);
    boolean unchanged = checked != null && checked.equals(now);
    boolean applied =
        !unchanged
            && switch (type) {
              case SCALE ->
                  live != null
                      && Objects.equals(live.at("/spec/replicas").asInt(-1), operation.replicas());
              case CREATE -> live != null;
              case DELETE -> live == null;
              default -> false; // a patch's effect cannot be told apart from anyone else's
            };
    // the broker whose chain holds the decision (the claim names the last claimant, which can be
    // another broker than the one that decided)
    String decider =
        Optional.ofNullable(decisionRecord.getMetadata().getLabels())
            .map(labels -> labels.get(RecordLog.CHAIN_LABEL))
            .orElse(claim.getReason());
    String interrupted = "broker " + decider + " was interrupted after deciding; ";
    String message =
        unchanged
            ? interrupted
                + "the target is exactly as it was checked, so the change was not applied; it is"
                + " not executed again"
            : type == dev.seb.contracts.v1alpha1.OperationType.PATCH
                ? interrupted
                    + "the target changed after it was checked, and whether by this proposal's"
                    + " patch cannot be told from its state; seb does not vouch that it was"
                    + " executed, and it is not executed again"
                : interrupted
                    + "the target shows the change was not applied; it is not executed again";
    try {
      status.setDecision(
          applied ? MutationProposalStatus.Decision.ADMIT : MutationProposalStatus.Decision.DENY);
      outcome(ref, status, applied, ReasonCode.EXECUTION_FAILED, message, null, checked, now);
    } catch (VerificationException | RuntimeException e) {
      status.setExecuted(applied);
      status.setReasons(
          List.of(
              new Reason(
                  ReasonCode.INTERNAL_ERROR,
                  "interrupted execution could not be recorded: " + e.getMessage())));
    }
    proposal.setStatus(status);
    return UpdateControl.patchStatus(proposal);
  }

  /**
   * For a REPLAY: where the proposal's first decision and its outcome are, so that "not executed"
   * about the replay is not read as "never executed".
   */
  private String earlierOutcome(ProposalRef ref) {
    try {
      var outcome =
          client
              .resources(ExecutionRecord.class)
              .inNamespace(ref.namespace())
              .withLabel(RecordLog.PROPOSAL_UID_LABEL, ref.uid())
              .list()
              .getItems()
              .stream()
              .filter(r -> r.getSpec().kind() == Kind.OUTCOME)
              .findFirst();
      return "; its decision record is "
          + RecordLog.decisionName(ref.uid())
          + outcome
              .map(
                  r -> {
                    try {
                      return ", its outcome record "
                          + r.getMetadata().getName()
                          + " says executed="
                          + content(r).executed();
                    } catch (java.text.ParseException | VerificationException e) {
                      return ", its outcome record " + r.getMetadata().getName();
                    }
                  })
              .orElse(", with no outcome recorded");
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * Writes the status a broker left unwritten although it recorded how the proposal ended: a denial
   * or hold (then {@code decided} and {@code last} are that record), or an outcome.
   */
  private UpdateControl<MutationProposal> restore(
      MutationProposal proposal, ExecutionRecord decided, ExecutionRecord last) {
    MutationProposalStatus status = proposal.getStatus();
    status.setExecuted(false);
    status.setDecisionRecord(decided.getMetadata().getName());
    try {
      RecordDraft content = content(last);
      status.setReasons(content.reasons());
      status.setProposalDigest(content.proposal().proposalDigest());
      status.setDecidedAt(instant(content(decided).decidedAt()));
      if (content.kind() == Kind.OUTCOME) {
        status.setOutcomeRecord(last.getMetadata().getName());
        status.setExecuted(content.executed());
        status.setDecision(
            content.executed()
                ? MutationProposalStatus.Decision.ADMIT
                : MutationProposalStatus.Decision.DENY);
        status.setCompletedAt(instant(content.completedAt()));
      } else {
        status.setDecision(content.decision());
      }
    } catch (java.text.ParseException | VerificationException | RuntimeException e) {
      status.setDecision(MutationProposalStatus.Decision.DENY);
      status.setReasons(
          List.of(
              new Reason(
                  ReasonCode.INTERNAL_ERROR,
                  "decided before by an interrupted broker, whose record "
                      + last.getMetadata().getName()
                      + " cannot be read: "
                      + e.getMessage())));
    }
    LOG.warnf(
        "proposal %s/%s: restored the status (%s, executed=%s) an interrupted broker recorded but"
            + " did not write",
        proposal.getMetadata().getNamespace(),
        proposal.getMetadata().getName(),
        status.getDecision(),
        status.getExecuted());
    return UpdateControl.patchStatus(proposal);
  }

  private static String instant(Instant instant) {
    return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  /** What a stored record says (its signature is not checked here). */
  private static RecordDraft content(ExecutionRecord record)
      throws java.text.ParseException, VerificationException {
    return dev.seb.contracts.record.RecordClaims.fromClaims(
            com.nimbusds.jose.JWSObject.parse(record.getSpec().jws()).getPayload().toJSONObject())
        .content();
  }

  /**
   * The {@code preState} of the proposal's decision record: the digest of the target as the
   * interrupted broker checked it. Null when there is none or it cannot be read.
   */
  private static String checkedState(ExecutionRecord decision) {
    try {
      return content(decision).preState();
    } catch (java.text.ParseException | VerificationException | RuntimeException e) {
      LOG.warnf(
          "decision record %s cannot be read: %s",
          decision.getMetadata().getName(), e.getMessage());
      return null;
    }
  }

  private dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget contractTarget(
      String ns, String contractRef) {
    JsonNode contract =
        CanonicalJson.mapper()
            .valueToTree(
                client
                    .genericKubernetesResources(CONTRACTS)
                    .inNamespace(ns)
                    .withName(contractRef)
                    .get()
                    .getAdditionalProperties()
                    .get("spec"));
    return CanonicalJson.mapper()
        .convertValue(
            contract.path("target").path("kubernetes"),
            dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget.class);
  }

  /** Reads every input fresh from the API server. */
  private DecisionInput gather(MutationProposal proposal, String submittedBy) {
    String ns = proposal.getMetadata().getNamespace();
    JsonNode spec = CanonicalJson.mapper().valueToTree(proposal.getSpec());
    String mandateRef = proposal.getSpec() == null ? null : proposal.getSpec().mandateRef();
    String contractRef = proposal.getSpec() == null ? null : proposal.getSpec().contractRef();
    // the inputs do not depend on each other: read them at once
    var mandateRead =
        read(
            "mandate",
            () ->
                mandateRef == null
                    ? null
                    : client.resources(Mandate.class).inNamespace(ns).withName(mandateRef).get());
    var contractRead =
        read(
            "contract",
            () ->
                contractRef == null
                    ? null
                    : client
                        .genericKubernetesResources(CONTRACTS)
                        .inNamespace(ns)
                        .withName(contractRef)
                        .get());
    // the broker's own epoch high-water marks: never the operator's TrustAnchor status
    var marksRead = read("marks", marks::read);
    // a decision record about this very proposal: it was decided before (its status was reset), so
    // deciding it again is a replay
    var recordsRead =
        read(
            "records",
            () -> records.exists(ns, RecordLog.decisionName(proposal.getMetadata().getUid())));
    // the target the contract named last time, read alongside: the contract must be read before
    // its target is known, and this saves that second round trip whenever the contract still names
    // the same object (used only then; the contract itself is always read live)
    String contractKey = ns + "/" + contractRef;
    var expectedTarget = contractRef == null ? null : lastTargets.get(contractKey);
    var expectedRead = expectedTarget == null ? null : read("target", () -> read(expectedTarget));
    // likewise the trust anchor that verified the contract last time, by name: a GET is answered
    // from etcd at once, while a consistent LIST of all anchors waits for the API server's watch
    // cache to catch up (the list is the fallback when the anchor is gone or no longer the
    // issuer's). With several anchors for one issuer, the one used last stays in use while it
    // exists and carries that issuer; everything is verified against it either way.
    String expectedAnchor = contractRef == null ? null : lastAnchors.get(contractKey);
    var expectedAnchorRead =
        expectedAnchor == null
            ? null
            : read(
                "anchor", () -> client.resources(TrustAnchor.class).withName(expectedAnchor).get());
    Mandate mandate = Parallel.result(mandateRead);
    // every ancestor along spec.parentRef, read from the specs: the operator's view of them may
    // be stale or forged, and the pipeline decides the whole lineage itself
    var ancestorsRead = read("ancestors", () -> ancestors(ns, mandate));
    GenericKubernetesResource contract = Parallel.result(contractRead);
    JsonNode contractSpec =
        contract == null
            ? null
            : CanonicalJson.mapper().valueToTree(contract.getAdditionalProperties().get("spec"));
    DecisionInput.Authority authority = null;
    JsonNode live = null;
    if (contractSpec != null) {
      String certificate = contractSpec.path("certificate").asText(null);
      TrustAnchor anchor = anchorFor(certificate, expectedAnchorRead);
      if (anchor != null) {
        lastAnchors.put(contractKey, anchor.getMetadata().getName());
      }
      if (anchor != null) {
        VerifiedEpochStatement statement;
        try {
          statement =
              EpochStatementVerifier.forAnchor(anchor.getSpec())
                  .verify(anchor.getSpec().epochStatement(), clock, leeway);
        } catch (VerificationException e) {
          statement = null; // the pipeline fails closed: EPOCH_STATEMENT_STALE
        }
        HighWaterMark mark = null; // unknown: the pipeline fails closed
        if (statement != null) {
          try {
            mark = marks.observe(Parallel.result(marksRead), statement);
          } catch (VerificationException | RuntimeException e) {
            LOG.errorf("epoch high-water mark unavailable: %s", e.getMessage());
          }
        }
        try {
          authority =
              new DecisionInput.Authority(
                  ContractCertificateVerifier.forBroker(anchor.getSpec(), config.brokerId()),
                  statement,
                  mark);
        } catch (VerificationException e) {
          authority = null;
        }
      }
      JsonNode k8s = contractSpec.path("target").path("kubernetes");
      if (k8s.isObject()) {
        var target =
            CanonicalJson.mapper()
                .convertValue(
                    k8s, dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget.class);
        GenericKubernetesResource object =
            target.equals(expectedTarget) ? Parallel.result(expectedRead) : read(target);
        lastTargets.put(contractKey, target);
        live = object == null ? null : CanonicalJson.mapper().valueToTree(object);
      }
    }
    // a proposal's digest covers its uid, so only the proposal itself can have been decided with
    // it; its decision record is the evidence (other proposals' statuses cannot match)
    Set<String> decided =
        Parallel.result(recordsRead)
            ? Set.of(
                dev.seb.contracts.canonical.Digests.proposal(
                    spec, ns, proposal.getMetadata().getName(), proposal.getMetadata().getUid()))
            : Set.of();
    return new DecisionInput(
        new DecisionInput.Proposal(
            ns,
            proposal.getMetadata().getName(),
            proposal.getMetadata().getUid(),
            spec,
            submittedBy),
        mandate,
        Parallel.result(ancestorsRead),
        contractSpec == null ? null : new DecisionInput.Contract(ns, contractRef, contractSpec),
        authority,
        decided,
        live);
  }

  /**
   * The mandate's ancestors by name, read one parent at a time along {@code spec.parentRef}; stops
   * at a missing parent, a name seen before or {@link MandateAuthority#MAX_DEPTH}, each of which
   * the pipeline denies.
   */
  private java.util.Map<String, Mandate> ancestors(String ns, Mandate mandate) {
    java.util.Map<String, Mandate> found = new java.util.HashMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    Mandate child = mandate;
    while (child != null
        && child.getSpec() != null
        && child.getSpec().parentRef() != null
        && seen.size() <= MandateAuthority.MAX_DEPTH) {
      String parentRef = child.getSpec().parentRef();
      if (!seen.add(parentRef)) {
        break;
      }
      child = client.resources(Mandate.class).inNamespace(ns).withName(parentRef).get();
      if (child != null) {
        found.put(parentRef, child);
      }
    }
    return found;
  }

  /** Starts reading one input of a decision, timed as {@code seb.broker.read{input}}. */
  private <T> java.util.concurrent.CompletableFuture<T> read(
      String input, java.util.function.Supplier<T> call) {
    Timer timer =
        Timer.builder("seb.broker.read")
            .tag("input", input)
            .publishPercentileHistogram()
            .register(meters);
    return Parallel.start(() -> timer.record(call));
  }

  private GenericKubernetesResource read(
      dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget target) {
    return client
        .genericKubernetesResources(target.apiVersion(), target.kind())
        .inNamespace(target.namespace())
        .withName(target.name())
        .get();
  }

  /**
   * The anchor of the certificate's claimed issuer: the one read by name alongside the contract if
   * it still is that issuer's, else found among all anchors.
   */
  private TrustAnchor anchorFor(
      String certificate, java.util.concurrent.CompletableFuture<TrustAnchor> expectedRead) {
    Optional<String> issuer = IssuerHint.unverifiedIssuer(certificate);
    if (issuer.isEmpty()) {
      return null;
    }
    TrustAnchor expected;
    try {
      expected = expectedRead == null ? null : Parallel.result(expectedRead);
    } catch (RuntimeException e) {
      expected = null; // the read by name is only a shortcut: all anchors are listed instead
    }
    if (expected != null
        && expected.getSpec() != null
        && issuer.get().equals(expected.getSpec().sabId())) {
      return expected;
    }
    List<TrustAnchor> anchors =
        Parallel.result(
            read("anchors", () -> client.resources(TrustAnchor.class).list().getItems()));
    return IssuerHint.anchorFor(certificate, anchors).orElse(null);
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(clock.instant());
  }
}
