package dev.seb.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events for transitions a human should see. Losing an Event never changes a decision,
 * so a failure to record one is logged, not thrown.
 */
@ApplicationScoped
public class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;

  EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Records a Normal or Warning event about a seb resource. */
  public void record(HasMetadata about, boolean warning, String reason, String message) {
    String namespace =
        about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      about.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().substring(0, 8))
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(about.getApiVersion())
                          .withKind(about.getKind())
                          .withName(about.getMetadata().getName())
                          .withNamespace(about.getMetadata().getNamespace())
                          .withUid(about.getMetadata().getUid())
                          .build())
                  .withType(warning ? "Warning" : "Normal")
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("seb-operator")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not record event %s on %s/%s: %s",
          reason, about.getKind(), about.getMetadata().getName(), e.getMessage());
    }
  }
}
