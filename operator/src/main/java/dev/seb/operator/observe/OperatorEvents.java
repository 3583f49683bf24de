package dev.seb.operator.observe;

import dev.seb.contracts.event.Reporter;
import dev.seb.runtime.event.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The operator's Event recorder: seb's shared one, reporting as {@code seb.dev/operator}. */
@ApplicationScoped
public class OperatorEvents {

  @Produces
  @Singleton
  EventRecorder recorder(KubernetesClient client, Clock clock) {
    return new EventRecorder(client, clock, Reporter.OPERATOR, EventRecorder.podName());
  }

  void close(@Disposes EventRecorder recorder) {
    recorder.close();
  }
}
