package dev.seb.broker;

import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.v1alpha1.MutationProposal;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What the test hooks on the broker's events share: which proposal an event is about. */
final class HookedProposals {

  private HookedProposals() {}

  /**
   * The proposal the admitted execution belongs to, read from the API server, if its name starts
   * with {@code prefix}; null otherwise (the hook leaves it alone).
   */
  static MutationProposal named(
      KubernetesClient client, AdmittedExecution admitted, String prefix) {
    String[] ref = admitted.proposalRef().split("/");
    if (!ref[1].startsWith(prefix)) {
      return null;
    }
    return client.resources(MutationProposal.class).inNamespace(ref[0]).withName(ref[1]).get();
  }
}
