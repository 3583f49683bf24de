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
    if (event.admitted().proposalRef().endsWith("/race")) {
      client
          .apps()
          .deployments()
          .inNamespace(event.admitted().target().namespace())
          .withName(event.admitted().target().name())
          .edit(
              d -> {
                d.getMetadata().getAnnotations().put("raced", "true");
                return d;
              });
    }
  }
}
