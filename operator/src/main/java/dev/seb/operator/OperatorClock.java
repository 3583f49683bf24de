package dev.seb.operator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The one clock the reconcilers read time from; the contracts predicates take it explicitly. */
@ApplicationScoped
public class OperatorClock {

  @Produces
  @ApplicationScoped
  Clock clock() {
    return Clock.systemUTC();
  }
}
