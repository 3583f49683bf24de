package dev.seb.broker.proposal;

import dev.seb.contracts.v1alpha1.MutationProposal;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One proposal per contract at a time in this broker: a second one is decided against the state the
 * first left, instead of failing on the resourceVersion the first one changed. A fixed set of
 * locks, chosen by the contract's name: contracts that share a lock only wait for each other.
 */
@ApplicationScoped
public class SerialTargets {

  private static final int STRIPE_BITS = 6;
  private static final int STRIPES = 1 << STRIPE_BITS;

  private final Lock[] locks = new Lock[STRIPES];

  public SerialTargets() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** The lock of the proposal's contract. */
  public Lock of(MutationProposal proposal) {
    String key =
        proposal.getMetadata().getNamespace()
            + "/"
            + (proposal.getSpec() == null ? "" : proposal.getSpec().contractRef());
    // the high bits of a Fibonacci hash: similar names spread over every lock
    return locks[(key.hashCode() * 0x9E3779B1) >>> (Integer.SIZE - STRIPE_BITS)];
  }
}
