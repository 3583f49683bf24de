package dev.seb.broker;

import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;

/**
 * Changes the target between seb's live-state check and its write, as a concurrent actor would:
 * annotates it {@code raced: true}. Register it with {@link BrokerProbe#beforeWrite}.
 */
final class WindowRacer implements BrokerProbe.Hook {

  private final KubernetesClient client;

  WindowRacer(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void at(ProposalRef proposal, AdmittedExecution admitted) {
    var target = admitted.target();
    client
        .genericKubernetesResources(target.apiVersion(), target.kind())
        .inNamespace(target.namespace())
        .withName(target.name())
        .edit(
            r -> {
              if (r.getMetadata().getAnnotations() == null) {
                r.getMetadata().setAnnotations(new HashMap<>());
              }
              r.getMetadata().getAnnotations().put("raced", "true");
              return r;
            });
  }
}
