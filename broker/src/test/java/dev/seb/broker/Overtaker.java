package dev.seb.broker;

import dev.seb.broker.record.RecordLog;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
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

  void onRecording(ProposalRef ref, AdmittedExecution admitted) {
    if (!ref.name().startsWith("overtaken")) {
      return;
    }
    MutationProposal proposal =
        client
            .resources(MutationProposal.class)
            .inNamespace(ref.namespace())
            .withName(ref.name())
            .get();
    String ns = proposal.getMetadata().getNamespace();
    try {
      decided =
          log.appendDecision(
              RecordDraft.builder(Kind.DECISION)
                  .proposal(
                      new ProposalRef(
                          ns,
                          proposal.getMetadata().getName(),
                          proposal.getMetadata().getUid(),
                          admitted.proposalDigest()))
                  .decision(MutationProposalStatus.Decision.ADMIT)
                  .executed(false)
                  .preState(admitted.preState())
                  .decidedAt(java.time.Instant.now())
                  .build(),
              ns);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    var target = admitted.target();
    client
        .apps()
        .deployments()
        .inNamespace(target.namespace())
        .withName(target.name())
        .scale(admitted.operation().replicas());
  }
}
