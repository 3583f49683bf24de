package dev.seb.broker.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Asks a condition again until it holds or a deadline passes. */
public final class Polling {

  private static final Duration INTERVAL = Duration.ofMillis(50);

  private Polling() {}

  /**
   * Whether {@code condition} held within {@code within}, asked at once and then every 50 ms. A
   * condition that throws is not met; an interrupt ends the wait, unmet.
   */
  public static boolean until(Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return true;
        }
      } catch (RuntimeException e) {
        // not met yet
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
