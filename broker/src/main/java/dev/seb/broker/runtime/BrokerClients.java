package dev.seb.broker.runtime;

import dev.seb.contracts.event.Reporter;
import dev.seb.runtime.event.EventRecorder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The broker's own API client, as Quarkus configures it, with every call made inside a proposal's
 * trace a span ({@link ApiCallSpans}); and its Event recorder, reporting as {@code seb.dev/broker}.
 */
@ApplicationScoped
public class BrokerClients {

  @Produces
  @Singleton
  ApiCallSpans apiCallSpans(Tracer tracer) {
    return new ApiCallSpans(tracer);
  }

  @Produces
  @Singleton
  KubernetesClient client(
      Config config, KubernetesSerialization serialization, Vertx vertx, ApiCallSpans spans) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withKubernetesSerialization(serialization)
        .withHttpClientFactory(new VertxHttpClientFactory(vertx))
        .withHttpClientBuilderConsumer(
            http -> http.addOrReplaceInterceptor(ApiCallSpans.NAME, spans))
        .build();
  }

  void close(@Disposes KubernetesClient client) {
    client.close();
  }

  @Produces
  @Singleton
  EventRecorder events(KubernetesClient client, Clock clock) {
    return new EventRecorder(client, clock, Reporter.BROKER, EventRecorder.podName());
  }

  void close(@Disposes EventRecorder recorder) {
    recorder.close();
  }
}
