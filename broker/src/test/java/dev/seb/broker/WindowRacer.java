package dev.seb.broker;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.event.Observes;
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

  void onStarting(@Observes ExecutionStarting event) {
    if (event.admitted().proposalRef().contains("/race")) {
      var target = event.admitted().target();
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
