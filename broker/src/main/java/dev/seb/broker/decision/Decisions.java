package dev.seb.broker.decision;

import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.broker.runtime.Parallel;
import dev.seb.broker.runtime.Stages;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.execution.Decision;
import dev.seb.contracts.execution.DecisionInput;
import dev.seb.contracts.execution.DecisionPipeline;
import dev.seb.contracts.time.ClockLeeway;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Step "decide": the pure {@link DecisionPipeline} of contracts on the gathered inputs. Inputs that
 * could not be read are a denial (INTERNAL_ERROR), never an admission.
 */
@ApplicationScoped
public class Decisions {

  private final DecisionPipeline pipeline;
  private final Stages stages;

  public Decisions(Clock clock, BrokerConfig config, Stages stages) {
    this.pipeline = new DecisionPipeline(clock, ClockLeeway.of(config.clockLeeway()));
    this.stages = stages;
  }

  /** Decides on the inputs once they are read. */
  public Decision decide(CompletableFuture<DecisionInput> inputs) {
    try {
      DecisionInput input = Parallel.result(inputs);
      try (Stages.Stage stage = stages.begin("decide")) {
        return pipeline.decide(input);
      }
    } catch (RuntimeException e) {
      return new Decision.Deny(
          null,
          ReasonCode.INTERNAL_ERROR,
          "cannot read what the decision depends on: " + e.getMessage());
    }
  }
}
