package dev.seb.broker.execution;

import dev.seb.contracts.record.ProposalRef;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;

/** The object a broker Event is about: the proposal. */
public final class ProposalEvents {

  private ProposalEvents() {}

  /** A reference to the proposal, for {@code kubectl describe smp/<name>}. */
  public static ObjectReference about(ProposalRef ref) {
    return new ObjectReferenceBuilder()
        .withApiVersion("seb.dev/v1alpha1")
        .withKind("MutationProposal")
        .withNamespace(ref.namespace())
        .withName(ref.name())
        .withUid(ref.uid())
        .build();
  }
}
