package dev.seb.broker.record;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while this process holds its record chain's Lease ({@link ChainLease}). */
@Readiness
@ApplicationScoped
public class ChainReadiness implements HealthCheck {

  private final ChainLease lease;

  public ChainReadiness(ChainLease lease) {
    this.lease = lease;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("seb-record-chain")
        .status(lease.held())
        .withData("chain", lease.instance())
        .withData("lease", ChainLease.name(lease.instance()))
        .build();
  }
}
