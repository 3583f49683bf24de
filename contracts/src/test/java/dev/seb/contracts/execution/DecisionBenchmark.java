package dev.seb.contracts.execution;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordChain;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.record.SignedRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One in-process decision on one core: certificate chain and JWS verification, digests, epoch,
 * scope, drift and conditions checks (the full pipeline, steps 1 to 8), then signing the decision
 * record into the chain. Run with {@code tools/bench.sh DecisionBenchmark}.
 */
@State(Scope.Thread)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class DecisionBenchmark {

  private DecisionPipeline pipeline;
  private DecisionInput input;
  private RecordChain chain;
  private Clock clock;

  @Setup
  public void setUp() throws Exception {
    clock = PipelineFixture.CLOCK;
    pipeline = new DecisionPipeline(clock);
    input = new PipelineFixture().input();
    OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    chain = RecordChain.start("bench", key);
    if (!(pipeline.decide(input) instanceof Decision.Admit)) {
      throw new IllegalStateException("the benchmark input must be admitted");
    }
  }

  /** Decide and sign the decision record. */
  @Benchmark
  @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public SignedRecord decideAndRecord() {
    Decision decision = pipeline.decide(input);
    DecisionInput.Proposal p = input.proposal();
    return chain.append(
        RecordDraft.builder(ExecutionRecordSpec.Kind.DECISION)
            .proposal(new ProposalRef(p.namespace(), p.name(), p.uid(), decision.proposalDigest()))
            .decision(MutationProposalStatus.Decision.ADMIT)
            .reasons(List.of())
            .executed(false)
            .decidedAt(clock.instant())
            .build(),
        clock);
  }
}
