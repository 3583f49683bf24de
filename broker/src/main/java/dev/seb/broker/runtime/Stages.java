package dev.seb.broker.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The broker's latency histograms: {@code seb.broker.stage{stage}} for claim, decide, record, mint,
 * execute, revoke, and {@code seb.broker.read{input}} for each input a decision reads.
 */
@ApplicationScoped
public class Stages {

  private final MeterRegistry meters;

  public Stages(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Starts timing; stop the sample with {@link #stage}. */
  public Timer.Sample start() {
    return Timer.start(meters);
  }

  /** The histogram of one stage. */
  public Timer stage(String name) {
    return Timer.builder("seb.broker.stage")
        .tag("stage", name)
        .publishPercentileHistogram()
        .register(meters);
  }

  /** Runs {@code call} timed as stage {@code name}. */
  public <T> T timed(String name, Supplier<T> call) {
    return stage(name).record(call);
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
