package dev.seb.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real API server per test class, with a cluster-admin client. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final ClusterExtension kube = new ClusterExtension();
 * }</pre>
 *
 * <p>The provider follows {@link TestGround#provider()}; with {@code testcontainers} and no Docker
 * engine the class is skipped, not failed.
 */
public final class ClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private final java.util.List<String> apiServerFlags;
  private Cluster cluster;
  private KubernetesClient admin;

  /** A cluster as {@link TestGround#provider()} selects it. */
  public ClusterExtension() {
    this(java.util.List.of());
  }

  private ClusterExtension(java.util.List<String> apiServerFlags) {
    this.apiServerFlags = java.util.List.copyOf(apiServerFlags);
  }

  /**
   * The local kube-apiserver started with extra {@code flags}; with another provider the class is
   * skipped, as only the local API server takes flags.
   */
  public static ClusterExtension withApiServerFlags(String... flags) {
    return new ClusterExtension(java.util.List.of(flags));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster =
        switch (TestGround.provider()) {
          case LOCAL -> LocalCluster.start(apiServerFlags);
          case TESTCONTAINERS -> {
            Assumptions.assumeTrue(
                apiServerFlags.isEmpty(), "API server flags " + apiServerFlags + " need local");
            Assumptions.assumeTrue(
                TestGround.dockerAvailable(), "no Docker engine here: k3s tests are skipped");
            yield K3sCluster.start();
          }
        };
    admin = cluster.newAdminClient();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try (Cluster c = cluster;
        KubernetesClient a = admin) {
      cluster = null;
      admin = null;
    }
  }

  /** The running cluster. */
  public Cluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("the cluster runs only between beforeAll and afterAll");
    }
    return cluster;
  }

  /** A cluster-admin client, closed with the cluster. */
  public KubernetesClient admin() {
    cluster();
    return admin;
  }
}
