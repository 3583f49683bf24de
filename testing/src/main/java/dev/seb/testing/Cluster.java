package dev.seb.testing;

import dev.seb.ground.Crds;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;

/**
 * A real Kubernetes API server that a test talks to. Implementations: {@link LocalCluster}
 * (kube-apiserver + etcd as local processes, the default) and {@link K3sCluster} (Testcontainers,
 * where a Docker engine exists).
 */
public interface Cluster extends AutoCloseable {

  /** A short name for logs and skip messages. */
  String name();

  /** Kubeconfig YAML for a cluster-admin (system:masters) user. */
  String adminKubeconfig();

  /**
   * Whether the API server runs on this host's network, so a {@code url:} webhook on loopback is
   * reachable.
   */
  boolean reachesLoopbackWebhooks();

  /** Client configuration for the cluster admin. */
  default Config adminConfig() {
    return Config.fromKubeconfig(adminKubeconfig());
  }

  /** A new client as cluster admin; the caller closes it. */
  default KubernetesClient newAdminClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /**
   * A new client that authenticates only with the given bearer token (for example one issued by
   * TokenRequest), keeping the admin's server address and CA but none of its credentials.
   */
  default KubernetesClient newTokenClient(String token) {
    Config config =
        new ConfigBuilder(adminConfig())
            .withClientCertFile(null)
            .withClientCertData(null)
            .withClientKeyFile(null)
            .withClientKeyData(null)
            .withUsername(null)
            .withPassword(null)
            .withOauthToken(token)
            .build();
    config.setAutoOAuthToken(null);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Override
  void close();

  /**
   * Installs every CRD in a directory of {@code .yml} files and waits until each is Established.
   */
  default void installCrds(Path dir) {
    try (KubernetesClient admin = newAdminClient()) {
      Crds.install(admin, dir);
    }
  }
}
