package dev.seb.broker;

import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Singleton;

/**
 * Changes the target between seb's live-state check and its write, for proposals named {@code
 * race}, as a concurrent actor would.
 */
@Singleton
public class WindowRacer {

  private final KubernetesClient client;

  WindowRacer(KubernetesClient client) {
    this.client = client;
  }

  void onStarting(ProposalRef proposal, AdmittedExecution admitted) {
    if (proposal.name().startsWith("race")) {
      var target = admitted.target();
      client
          .genericKubernetesResources(target.apiVersion(), target.kind())
          .inNamespace(target.namespace())
          .withName(target.name())
          .edit(
              r -> {
                if (r.getMetadata().getAnnotations() == null) {
                  r.getMetadata().setAnnotations(new java.util.HashMap<>());
                }
                r.getMetadata().getAnnotations().put("raced", "true");
                return r;
              });
    }
  }
}
