package dev.seb.broker.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The broker's stages, each measured twice: a latency histogram {@code seb.broker.stage{stage}}
 * (claim, gather, decide, record, mint, execute, revoke, outcome, recover, status) and a span of
 * the proposal's trace (a no-op while tracing is off). {@code seb.broker.read{input}} times each
 * input a decision reads.
 */
@ApplicationScoped
public class Stages {

  private final MeterRegistry meters;
  private final Tracer tracer;

  public Stages(MeterRegistry meters, Tracer tracer) {
    this.meters = meters;
    this.tracer = tracer;
  }

  /** One running stage: its span is current on this thread until {@link #close()}. */
  public final class Stage implements AutoCloseable {
    private final String name;
    private final Timer.Sample sample;
    private final Span span;
    private final Scope scope;

    private Stage(String name) {
      this.name = name;
      this.sample = Timer.start(meters);
      this.span = tracer.spanBuilder(name).startSpan();
      this.scope = span.makeCurrent();
    }

    /** Marks the stage failed (its span's status), with what went wrong. */
    public void failed(String why) {
      span.setStatus(StatusCode.ERROR, why);
    }

    /** Adds an attribute to the stage's span. */
    public Stage with(String key, String value) {
      if (value != null) {
        span.setAttribute(key, value);
      }
      return this;
    }

    @Override
    public void close() {
      scope.close();
      span.end();
      sample.stop(stage(name));
    }
  }

  /** Starts a stage on this thread; close it (try-with-resources) on the same thread. */
  public Stage begin(String name) {
    return new Stage(name);
  }

  /** Runs {@code call} as stage {@code name}. */
  public <T> T timed(String name, Supplier<T> call) {
    try (Stage ignored = begin(name)) {
      return call.get();
    }
  }

  private Timer stage(String name) {
    return Timer.builder("seb.broker.stage")
        .tag("stage", name)
        .publishPercentileHistogram()
        .register(meters);
  }

  /** The histogram of reading one input of a decision. */
  public Timer read(String input) {
    return Timer.builder("seb.broker.read")
        .tag("input", input)
        .publishPercentileHistogram()
        .register(meters);
  }

  /** Counts one decision by its decision, deciding reason code and whether it executed. */
  public void decided(String decision, String reason, String executed) {
    meters
        .counter(
            "seb.broker.decisions", "decision", decision, "reason", reason, "executed", executed)
        .increment();
  }
}
