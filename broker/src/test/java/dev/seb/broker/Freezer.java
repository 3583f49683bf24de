package dev.seb.broker;

import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
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

  void onStarting(ProposalRef proposal, AdmittedExecution admitted) {
    if (proposal.name().startsWith("freeze")) {
      reached.countDown();
      try {
        released.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
