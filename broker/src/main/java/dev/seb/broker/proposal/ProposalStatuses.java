package dev.seb.broker.proposal;

import dev.seb.broker.runtime.Stages;
import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.proposal.ClaimState;
import dev.seb.contracts.proposal.Ending;
import dev.seb.contracts.proposal.ProposalStatusWriter;
import dev.seb.contracts.proposal.ProposalStatusWriter.Decided;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.runtime.event.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The last step: the decided status, made by the one {@link ProposalStatusWriter}, logged, counted
 * and written. A broker stalled past its claim does not overwrite what the broker that recovered
 * the proposal meanwhile wrote (its own records stand in its chain).
 */
@ApplicationScoped
public class ProposalStatuses {

  private static final Logger LOG = Logger.getLogger(ProposalStatuses.class);

  private final KubernetesClient client;
  private final ProposalClaims claims;
  private final ProposalStatusWriter writer;
  private final Stages stages;
  private final EventRecorder events;

  public ProposalStatuses(
      KubernetesClient client,
      ProposalClaims claims,
      Clock clock,
      Stages stages,
      EventRecorder events) {
    this.client = client;
    this.claims = claims;
    this.writer = new ProposalStatusWriter(clock);
    this.stages = stages;
    this.events = events;
  }

  /** The status update that reports the decision. */
  public UpdateControl<MutationProposal> write(MutationProposal proposal, Decided decided) {
    try (Stages.Stage stage = stages.begin("status")) {
      return writeStatus(proposal, decided);
    }
  }

  private UpdateControl<MutationProposal> writeStatus(MutationProposal proposal, Decided decided) {
    MutationProposalStatus status = writer.decided(proposal.getStatus(), decided);
    announce(proposal, decided.ending(), status);
    String reason =
        status.getReasons().isEmpty() ? "NONE" : status.getReasons().get(0).code().name();
    stages.decided(
        String.valueOf(status.getDecision()), reason, String.valueOf(status.getExecuted()));
    LOG.infof(
        "proposal %s/%s: %s %s executed=%s%s",
        proposal.getMetadata().getNamespace(),
        proposal.getMetadata().getName(),
        status.getDecision(),
        reason,
        status.getExecuted(),
        status.getReasons().isEmpty() ? "" : ": " + status.getReasons().get(0).message());
    if (claims.outlived(proposal)) {
      MutationProposal fresh = client.resource(proposal).get();
      if (fresh == null || (fresh.getStatus() != null && fresh.getStatus().getDecision() != null)) {
        LOG.warnf(
            "proposal %s/%s was recovered by another broker while this one was stalled",
            proposal.getMetadata().getNamespace(), proposal.getMetadata().getName());
        return UpdateControl.noUpdate();
      }
    }
    proposal.setStatus(status);
    return UpdateControl.patchStatus(proposal);
  }

  /**
   * Reports an error that escaped the pipeline on an undecided proposal ({@code Decided=False
   * ReconcileError}). It builds on the proposal as stored now, never on what the failed reconcile
   * left on its object, and is written conditioned on that resourceVersion: a proposal decided
   * meanwhile, or claimed by another broker, is left alone. Never throws.
   */
  public void reportError(MutationProposal proposal, Exception error) {
    try {
      MutationProposal stored = client.resource(proposal).get();
      boolean decided =
          stored == null
              || (stored.getStatus() != null && stored.getStatus().getDecision() != null);
      if (!decided && !(claims.state(stored) instanceof ClaimState.Held)) {
        stored.setStatus(
            writer.retrying(
                stored.getStatus(), stored.getMetadata().getGeneration(), error.getMessage()));
        client.resource(stored).updateStatus(); // 409 when it changed since it was read
      }
    } catch (RuntimeException unwritten) {
      LOG.warnf("the error could not be reported on the status: %s", unwritten.getMessage());
    }
  }

  /** The Events of a decision: what was decided, and for an admission what came of it. */
  private void announce(MutationProposal proposal, Ending ending, MutationProposalStatus status) {
    String why =
        status.getReasons().isEmpty()
            ? ""
            : status.getReasons().get(0).code() + ": " + status.getReasons().get(0).message();
    if (ending instanceof Ending.Refused refused) {
      events.record(
          proposal,
          refused.decision() == MutationProposalStatus.Decision.HOLD
              ? EventReason.PROPOSAL_HELD
              : EventReason.PROPOSAL_DENIED,
          why + "; record " + status.getDecisionRecord());
    } else if (ending instanceof Ending.Unrecorded) {
      events.record(proposal, EventReason.RECORD_FAILED, why);
    } else {
      events.record(
          proposal, EventReason.PROPOSAL_ADMITTED, "decision record " + status.getDecisionRecord());
      events.record(
          proposal,
          ending instanceof Ending.Executed
              ? EventReason.PROPOSAL_EXECUTED
              : EventReason.EXECUTION_FAILED,
          (ending instanceof Ending.Executed ? "" : why + "; ")
              + "outcome record "
              + status.getOutcomeRecord());
    }
  }
}
