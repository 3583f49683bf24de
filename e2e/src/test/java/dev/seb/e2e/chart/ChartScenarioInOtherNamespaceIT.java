package dev.seb.e2e.chart;

import dev.seb.testing.ClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ReleaseScenario} for a release in another namespace ({@code helm install -n guard}): the
 * release namespace must reach every place seb names its own namespace and ServiceAccounts
 * (registrations, admission policies, the applications' configuration, RBAC subjects).
 */
class ChartScenarioInOtherNamespaceIT extends ReleaseScenario {

  @RegisterExtension static final ClusterExtension kube = cluster();

  ChartScenarioInOtherNamespaceIT() {
    super("guard", kube);
  }
}
