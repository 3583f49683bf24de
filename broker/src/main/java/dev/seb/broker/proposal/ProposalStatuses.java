package dev.seb.broker.proposal;

import dev.seb.broker.runtime.Stages;
import dev.seb.contracts.proposal.ProposalStatusWriter;
import dev.seb.contracts.proposal.ProposalStatusWriter.Decided;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
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

  public ProposalStatuses(
      KubernetesClient client, ProposalClaims claims, Clock clock, Stages stages) {
    this.client = client;
    this.claims = claims;
    this.writer = new ProposalStatusWriter(clock);
    this.stages = stages;
  }

  /** The status update that reports the decision. */
  public UpdateControl<MutationProposal> write(MutationProposal proposal, Decided decided) {
    MutationProposalStatus status = writer.decided(proposal.getStatus(), decided);
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
}
