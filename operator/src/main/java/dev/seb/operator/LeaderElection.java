package dev.seb.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election for operator replicas: one reconciles, the others stand by. Active in the prod
 * profile ({@code quarkus.operator-sdk.activate-leader-election-for-profiles}).
 */
@ApplicationScoped
public class LeaderElection {

  @Produces
  @ApplicationScoped
  LeaderElectionConfiguration leaderElection(
      @ConfigProperty(name = "seb.operator.namespace", defaultValue = "seb-system")
          String namespace) {
    return new LeaderElectionConfiguration("seb-operator", namespace);
  }
}
