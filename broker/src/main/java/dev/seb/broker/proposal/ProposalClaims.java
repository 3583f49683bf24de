package dev.seb.broker.proposal;

import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.broker.runtime.Stages;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.proposal.ClaimState;
import dev.seb.contracts.proposal.ProposalStatusWriter;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Claim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;

/**
 * Step "claim": exactly one broker decides a proposal. A claim ({@code status.claim}: holder,
 * process, expiry) is written with an update conditioned on the resourceVersion this broker saw;
 * another broker that claimed or changed the proposal first makes the API server answer 409.
 */
@ApplicationScoped
public class ProposalClaims {

  /** This process among restarts of the same instance; part of every claim it makes. */
  private final String process = UUID.randomUUID().toString().substring(0, 8);

  private final KubernetesClient client;
  private final BrokerConfig config;
  private final Clock clock;
  private final ProposalStatusWriter writer;
  private final Stages stages;

  public ProposalClaims(KubernetesClient client, BrokerConfig config, Clock clock, Stages stages) {
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.writer = new ProposalStatusWriter(clock);
    this.stages = stages;
  }

  /** What the proposal's claim means to this process now. */
  public ClaimState state(MutationProposal proposal) {
    return ClaimState.of(
        proposal.getStatus() == null ? null : proposal.getStatus().getClaim(),
        config.instance(),
        process,
        clock.instant());
  }

  /** The proposal as claimed by this process; empty when another broker got there first. */
  public Optional<MutationProposal> claim(MutationProposal proposal) {
    Claim claim =
        new Claim(
            config.instance(),
            process,
            DateTimeFormatter.ISO_INSTANT.format(clock.instant().plus(config.claimDuration())));
    String submittedBy =
        proposal.getMetadata().getAnnotations() == null
            ? null
            : proposal.getMetadata().getAnnotations().get(SebKeys.SUBMITTED_BY);
    // a copy: the operator framework hands the reconcile's own object to the error handler, and
    // a claim the API server refused must never reach it
    MutationProposal claiming = client.getKubernetesSerialization().clone(proposal);
    claiming.setStatus(
        writer.claimed(
            proposal.getStatus(), claim, proposal.getMetadata().getGeneration(), submittedBy));
    try (Stages.Stage stage = stages.begin("claim")) {
      MutationProposal claimed = client.resource(claiming).updateStatus();
      if (claimed.getStatus() == null || !claim.equals(claimed.getStatus().getClaim())) {
        // an old MutationProposal CRD prunes status.claim: then nothing keeps two brokers apart
        throw new IllegalStateException(
            "the API server did not keep status.claim: the MutationProposal CRD is older than this"
                + " broker; apply seb's CRDs (crds/) before the broker decides anything");
      }
      return Optional.of(claimed);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** When this broker's claim on the claimed proposal lapses. */
  public java.time.Instant expiry(MutationProposal claimed) {
    Claim claim = claimed.getStatus() == null ? null : claimed.getStatus().getClaim();
    return claim == null ? java.time.Instant.EPOCH : ClaimState.expiry(claim);
  }

  /** Whether this broker's claim on the proposal lapsed while it worked (it was stalled). */
  public boolean outlived(MutationProposal claimed) {
    return claimed.getStatus() != null
        && claimed.getStatus().getClaim() != null
        && !clock.instant().isBefore(expiry(claimed));
  }
}
