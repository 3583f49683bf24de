package dev.seb.testing.tracing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * A test profile with tracing on and every span kept in memory ({@link InMemorySpans}), exported
 * nowhere: the OTLP exporter is left out of the application, so no test tries to reach a collector.
 * Spans are handed to the exporter within tens of milliseconds. Extend it to add a class's own
 * configuration through {@link #moreConfig()}.
 */
public class TracingProfile implements QuarkusTestProfile {

  @Override
  public final Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>();
    config.put("quarkus.otel.sdk.disabled", "false");
    config.put("quarkus.otel.exporter.otlp.enabled", "false");
    config.put("quarkus.otel.traces.sampler", "always_on");
    config.put("quarkus.otel.bsp.schedule.delay", "PT0.05S");
    // InMemorySpans lives in this module: index it so that it is a bean of the application
    config.put("quarkus.index-dependency.seb-testing.group-id", "dev.seb");
    config.put("quarkus.index-dependency.seb-testing.artifact-id", "seb-testing");
    config.putAll(moreConfig());
    return config;
  }

  /** The test class's own configuration on top of tracing's. */
  protected Map<String, String> moreConfig() {
    return Map.of();
  }
}
