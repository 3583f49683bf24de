package dev.seb.broker.runtime;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator framework's reconciler metrics, per controller only. By default they are also
 * collected per resource, and every proposal is a new resource: the series, their histograms and
 * the CPU to register them grew with every proposal ever made.
 */
@Singleton
class ReconcilerMetrics {

  @Produces
  @Singleton
  Metrics metrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }
}
