package dev.seb.broker.identity;

import dev.seb.broker.runtime.BrokerConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Removes execution identities a crash left behind: at start, and periodically for those older than
 * the longest an execution can take. A live execution's identity is never that old.
 */
@ApplicationScoped
public class IdentityCollector {

  private static final Logger LOG = Logger.getLogger(IdentityCollector.class);

  private final IdentityMinter minter;
  private final Clock clock;
  private final Duration maxExecution;

  /** Older than a claim lasts, an execution identity can only be a leftover. */
  public IdentityCollector(IdentityMinter minter, Clock clock, BrokerConfig config) {
    this.minter = minter;
    this.clock = clock;
    this.maxExecution = config.claimDuration();
  }

  void onStart(@Observes StartupEvent event) {
    // other replicas may be executing right now: only what is older than any execution goes
    collect(clock.instant().minus(maxExecution));
  }

  @Scheduled(every = "${seb.broker.identity-gc-interval:60s}", delayed = "10s")
  void periodically() {
    collect(clock.instant().minus(maxExecution));
  }

  private void collect(Instant createdBefore) {
    try {
      int removed = minter.collectGarbage(createdBefore);
      if (removed > 0) {
        LOG.warnf("removed %d leftover execution identities", removed);
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "could not collect leftover execution identities");
    }
  }
}
