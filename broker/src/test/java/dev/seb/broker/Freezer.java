package dev.seb.broker;

import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stalls the broker right before its write: the decision is recorded and the identity minted, and
 * the broker stops there as a killed or hung one would, until the test lets it go on ({@link
 * #release}, or {@link #close} at the latest). Register it with {@link BrokerProbe#beforeWrite}.
 */
final class Freezer implements BrokerProbe.Hook, AutoCloseable {

  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  @Override
  public void at(ProposalRef proposal, AdmittedExecution admitted) throws InterruptedException {
    reached.countDown();
    released.await(120, TimeUnit.SECONDS);
  }

  /** Whether the broker stalled here within {@code seconds}. */
  boolean reached(int seconds) throws InterruptedException {
    return reached.await(seconds, TimeUnit.SECONDS);
  }

  /** Lets the stalled broker go on. */
  void release() {
    released.countDown();
  }

  /** Never leaves a broker thread stalled after the test. */
  @Override
  public void close() {
    release();
  }
}
