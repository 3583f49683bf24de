package dev.seb.broker;

import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Plays a broker stalled past its claim that wakes up at the worst moment, for proposals named
 * {@code overtaken*}: after this broker admitted the proposal and before it records that, the other
 * broker records its own decision about it (in its chain, {@link #log}) and performs the write, as
 * its minted identity would.
 */
@Singleton
public class Overtaker {

  private final KubernetesClient client;

  /** The other broker's record log; set by the test. */
  volatile RecordLog log;

  /** The name of the decision record the other broker wrote; null until it did. */
  volatile String decided;

  Overtaker(KubernetesClient client) {
    this.client = client;
  }

  void onRecording(@Observes DecisionRecording event) throws Exception {
    MutationProposal proposal = HookedProposals.named(client, event.admitted(), "overtaken");
    if (proposal == null) {
      return;
    }
    String ns = proposal.getMetadata().getNamespace();
    decided =
        log.appendDecision(
            RecordDraft.builder(Kind.DECISION)
                .proposal(
                    new ProposalRef(
                        ns,
                        proposal.getMetadata().getName(),
                        proposal.getMetadata().getUid(),
                        event.admitted().proposalDigest()))
                .decision(MutationProposalStatus.Decision.ADMIT)
                .executed(false)
                .preState(event.admitted().preState())
                .decidedAt(java.time.Instant.now())
                .build(),
            ns);
    var target = event.admitted().target();
    client
        .apps()
        .deployments()
        .inNamespace(target.namespace())
        .withName(target.name())
        .scale(event.admitted().operation().replicas());
  }
}
