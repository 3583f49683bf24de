package dev.seb.broker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollingTest {

  @Test
  void aConditionMetAtOnce_isNotWaitedFor() {
    long start = System.nanoTime();
    assertThat(Polling.until(Duration.ofSeconds(5), () -> true)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aConditionMetLater_isMet_andOneThatThrows_isNotMetYet() {
    AtomicInteger asked = new AtomicInteger();
    assertThat(
            Polling.until(
                Duration.ofSeconds(5),
                () -> {
                  if (asked.incrementAndGet() < 3) {
                    throw new IllegalStateException("not yet");
                  }
                  return true;
                }))
        .isTrue();
    assertThat(asked).hasValue(3);
  }

  @Test
  void aConditionNeverMet_isFalse_afterTheDeadline() {
    long start = System.nanoTime();
    assertThat(Polling.until(Duration.ofMillis(200), () -> false)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }
}
