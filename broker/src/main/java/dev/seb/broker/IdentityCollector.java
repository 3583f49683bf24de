package dev.seb.broker;

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

  /** Older than this, an execution identity can only be a leftover. */
  static final Duration MAX_EXECUTION = Duration.ofMinutes(2);

  private final IdentityMinter minter;
  private final Clock clock;

  IdentityCollector(IdentityMinter minter, Clock clock) {
    this.minter = minter;
    this.clock = clock;
  }

  void onStart(@Observes StartupEvent event) {
    // other replicas may be executing right now: only what is older than any execution goes
    collect(clock.instant().minus(MAX_EXECUTION));
  }

  @Scheduled(every = "${seb.broker.identity-gc-interval:60s}", delayed = "10s")
  void periodically() {
    collect(clock.instant().minus(MAX_EXECUTION));
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
