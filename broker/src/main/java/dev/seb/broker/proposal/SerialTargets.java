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

  private static final int STRIPES = 64;

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
    return locks[Math.floorMod(key.hashCode(), STRIPES)];
  }
}
