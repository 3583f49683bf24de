package dev.seb.webhook;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Records every break-glass admission as a Kubernetes Warning Event in the namespace it touched.
 * The webhook writes it itself, so the trace exists even when the broker is down; the API server's
 * audit log carries the {@code seb.dev/break-glass} annotation as well. The Event is written on a
 * worker thread after the admission is answered: a slow API server must not hold up (or, past the
 * webhook's timeout, deny) the break-glass write, nor block the event loop that decides.
 */
@ApplicationScoped
public class BreakGlassEvents {

  private static final Logger LOG = Logger.getLogger(BreakGlassEvents.class);

  private final KubernetesClient client;
  private final Executor executor;

  BreakGlassEvents(KubernetesClient client, ManagedExecutor executor) {
    this.client = client;
    this.executor = executor;
  }

  /** Records one break-glass use; never blocks or fails the admission. */
  public void record(String namespace, String kind, String name, String message) {
    String now = Instant.now().toString();
    try {
      executor.execute(() -> create(namespace, kind, name, message, now));
    } catch (RuntimeException e) {
      LOG.errorf(e, "could not record break-glass event: %s", message);
    }
  }

  private void create(String namespace, String kind, String name, String message, String now) {
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName("seb-break-glass." + UUID.randomUUID().toString().substring(0, 8))
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind(kind)
                  .withName(name)
                  .withNamespace(namespace)
                  .endInvolvedObject()
                  .withType("Warning")
                  .withReason("BreakGlass")
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("seb-admission-webhook")
                  .endSource()
                  .build())
          .create();
    } catch (RuntimeException e) {
      LOG.errorf(e, "could not record break-glass event: %s", message);
    }
  }
}
