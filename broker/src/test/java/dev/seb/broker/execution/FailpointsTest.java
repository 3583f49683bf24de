package dev.seb.broker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.broker.execution.FailpointPlan.Point;
import dev.seb.contracts.record.ProposalRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FailpointsTest {

  private static final ProposalRef REF = new ProposalRef("shop", "scale", "uid-1", null);
  private static final String NOW = Instant.now().plusSeconds(1).toString();

  private static Failpoints at(String point, Duration hold) {
    return new Failpoints(FailpointPlan.of(Optional.of(point), hold, Clock.systemUTC()));
  }

  @Test
  void off_neverBlocks() {
    long start = System.nanoTime();
    Failpoints off = Failpoints.off();
    for (Point p : Point.values()) {
      off.reach(p, REF, NOW);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void aHold_blocksForItsDuration_thenReturns_andTheSameUidIsNotHeldAgain() {
    Failpoints failpoints = at("written", Duration.ofMillis(400));
    long start = System.nanoTime();
    failpoints.reach(Point.WRITTEN, REF, NOW);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    start = System.nanoTime();
    failpoints.reach(Point.WRITTEN, REF, NOW);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
  }

  @Test
  void anInterrupt_endsTheHold_andTheThreadStaysInterrupted() throws Exception {
    Failpoints failpoints = at("claimed", Duration.ofMinutes(10));
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread held =
        new Thread(
            () -> {
              failpoints.reach(Point.CLAIMED, REF, NOW);
              interrupted.set(Thread.currentThread().isInterrupted());
            });
    held.start();
    // in its hold: sleeping, not yet interrupted
    org.awaitility.Awaitility.await("the thread holds")
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> held.getState() == Thread.State.TIMED_WAITING);
    held.interrupt();
    held.join(5_000);
    assertThat(held.isAlive()).isFalse();
    assertThat(interrupted).isTrue();
  }
}
