package dev.seb.broker.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The broker's clock, passed explicitly to every contracts predicate. */
@ApplicationScoped
public class BrokerClock {

  @Produces
  @ApplicationScoped
  Clock clock() {
    return Clock.systemUTC();
  }
}
