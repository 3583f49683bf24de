package dev.seb.broker;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stalls the broker right before its write, for proposals named {@code freeze*}: the decision is
 * recorded and the identity minted, and the broker stops there as a killed or hung one would, until
 * the test lets it go on.
 */
@Singleton
public class Freezer {

  final CountDownLatch reached = new CountDownLatch(1);
  final CountDownLatch released = new CountDownLatch(1);

  void onStarting(@Observes ExecutionStarting event) throws InterruptedException {
    if (event.admitted().proposalRef().contains("/freeze")) {
      reached.countDown();
      released.await(120, TimeUnit.SECONDS);
    }
  }
}
