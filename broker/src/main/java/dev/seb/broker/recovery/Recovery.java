package dev.seb.broker.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.broker.decision.DecisionInputs;
import dev.seb.broker.execution.TargetResource;
import dev.seb.broker.identity.IdentityMinter;
import dev.seb.broker.record.ProposalRecords;
import dev.seb.broker.record.RecordLog;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.proposal.Ending;
import dev.seb.contracts.proposal.ProposalStatusWriter.Decided;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.recovery.RecoveryPlan;
import dev.seb.contracts.recovery.RecoveryPlan.StoredRecord;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Claim;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Carries out the {@link RecoveryPlan} for a proposal whose claim lapsed, or that another broker
 * recorded a decision about first. It never executes anything: a recorded ending is restored; an
 * admission without an outcome first loses every identity minted for it (and the authorizer is seen
 * refusing them), then the outcome is recorded from what the target shows.
 */
@ApplicationScoped
public class Recovery {

  private static final Logger LOG = Logger.getLogger(Recovery.class);

  private final KubernetesClient client;
  private final ProposalRecords records;
  private final IdentityMinter minter;
  private final DecisionInputs inputs;
  private final Clock clock;

  public Recovery(
      KubernetesClient client,
      ProposalRecords records,
      IdentityMinter minter,
      DecisionInputs inputs,
      Clock clock) {
    this.client = client;
    this.records = records;
    this.minter = minter;
    this.inputs = inputs;
    this.clock = clock;
  }

  /** What a recovery came to. */
  public sealed interface Result {}

  /** The proposal's decision and ending, to be written to its status. */
  public record Recovered(Decided decided) implements Result {}

  /** Nothing was decided before: the proposal is decided afresh under a new claim. */
  public record DecideAgain() implements Result {}

  /** The interrupted broker's identities are not yet refused: recovery is tried again later. */
  public record NotYet() implements Result {}

  /** Plans and carries out the recovery of a proposal; {@code claim} is the lapsed one. */
  public Result recover(MutationProposal proposal, Claim claim) {
    String ns = proposal.getMetadata().getNamespace();
    String uid = proposal.getMetadata().getUid();
    List<StoredRecord> found = records.about(ns, uid);
    RecoveryPlan.Step step = RecoveryPlan.plan(RecordLog.decisionName(uid), found);
    if (step instanceof RecoveryPlan.Restore restore) {
      Decided decided = RecoveryPlan.restored(restore);
      LOG.warnf(
          "proposal %s/%s: restoring the status an interrupted broker recorded but did not write"
              + " (%s)",
          ns, proposal.getMetadata().getName(), decided.ending().getClass().getSimpleName());
      return new Recovered(decided);
    }
    if (step instanceof RecoveryPlan.RevokeThenRecord revoke) {
      return revokeThenRecord(proposal, claim, revoke.decision());
    }
    return new DecideAgain();
  }

  private Result revokeThenRecord(MutationProposal proposal, Claim claim, StoredRecord decision) {
    String ns = proposal.getMetadata().getNamespace();
    MutationProposalSpec spec = proposal.getSpec();
    // no write for it can still happen once the interrupted broker's identities are gone and the
    // authorizer refuses them; only then is the target's state final
    List<String> orphans = minter.revokeAll(proposal.getMetadata().getUid());
    KubernetesTarget target = inputs.contractTarget(ns, spec.contractRef());
    String claimant = claim == null ? null : claim.holder();
    if (!orphans.isEmpty()) {
      LOG.warnf(
          "proposal %s/%s: revoked execution identities %s of interrupted broker %s",
          ns, proposal.getMetadata().getName(), orphans, claimant);
      if (target != null
          && !minter.awaitRefused(
              orphans,
              TargetResource.resolve(client, target),
              TargetResource.Access.of(spec.operation().type()))) {
        LOG.warnf(
            "proposal %s/%s: the revoked identities are still authorized; recovering later",
            ns, proposal.getMetadata().getName());
        return new NotYet();
      }
    }
    RecoveryPlan.Found seen;
    if (target == null) {
      seen = RecoveryPlan.contractGone(decision, claimant);
    } else {
      GenericKubernetesResource object = inputs.readTarget(target);
      JsonNode live = object == null ? null : CanonicalJson.mapper().valueToTree(object);
      seen =
          RecoveryPlan.found(
              decision, claimant, spec.operation().type(), spec.operation().replicas(), live);
    }
    String digest =
        decision.content() == null ? null : decision.content().proposal().proposalDigest();
    ProposalRef ref =
        new ProposalRef(
            ns, proposal.getMetadata().getName(), proposal.getMetadata().getUid(), digest);
    String decidedAt =
        decision.content() == null || decision.content().decidedAt() == null
            ? null
            : DateTimeFormatter.ISO_INSTANT.format(decision.content().decidedAt());
    Reason reason = new Reason(ReasonCode.EXECUTION_FAILED, seen.message());
    Ending ending;
    try {
      String outcome =
          records.outcome(ref, seen.applied(), reason, null, seen.checked(), seen.found());
      String completedAt = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
      ending =
          seen.applied()
              ? new Ending.Executed(outcome, completedAt)
              : new Ending.NotExecuted(outcome, reason, completedAt);
    } catch (VerificationException | RuntimeException e) {
      ending =
          new Ending.Unrecorded(
              seen.applied(),
              new Reason(
                  ReasonCode.INTERNAL_ERROR,
                  "interrupted execution could not be recorded: " + e.getMessage()));
    }
    return new Recovered(new Decided(digest, decision.name(), decidedAt, ending));
  }
}
