package dev.seb.e2e.chart;

import dev.seb.testing.ClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ReleaseScenario} for the release as the README installs it: {@code seb-system}. */
class ChartScenarioIT extends ReleaseScenario {

  @RegisterExtension static final ClusterExtension kube = cluster();

  ChartScenarioIT() {
    super("seb-system", kube);
  }
}
