package dev.seb.broker;

import dev.seb.broker.record.RecordLog;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/**
 * Plays a broker stalled past its claim that wakes up at the worst moment: after this broker
 * admitted the proposal and before it records that, the other broker records its own decision about
 * it (in its chain, {@code log}) and performs the write, as its minted identity would. Register it
 * with {@link BrokerProbe#beforeDecisionRecord}.
 */
final class Overtaker implements BrokerProbe.Hook {

  private final KubernetesClient client;
  private final RecordLog log;

  /** The name of the decision record the other broker wrote; null until it did. */
  volatile String decided;

  Overtaker(KubernetesClient client, RecordLog log) {
    this.client = client;
    this.log = log;
  }

  @Override
  public void at(ProposalRef ref, AdmittedExecution admitted) throws Exception {
    decided =
        log.appendDecision(
            RecordDraft.builder(Kind.DECISION)
                .proposal(
                    new ProposalRef(
                        ref.namespace(), ref.name(), ref.uid(), admitted.proposalDigest()))
                .decision(MutationProposalStatus.Decision.ADMIT)
                .executed(false)
                .preState(admitted.preState())
                .decidedAt(Instant.now())
                .build(),
            ref.namespace());
    var target = admitted.target();
    client
        .apps()
        .deployments()
        .inNamespace(target.namespace())
        .withName(target.name())
        .scale(admitted.operation().replicas());
  }
}
