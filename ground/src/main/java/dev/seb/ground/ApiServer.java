package dev.seb.ground;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;

/**
 * kube-apiserver and etcd as local processes, started through Fabric8 kube-api-test in offline mode
 * from {@link KubeBinaries}: the local stack's control plane and the test fixtures' local cluster.
 * Nothing is ever downloaded. Closing it stops both.
 */
public final class ApiServer implements AutoCloseable {

  private final KubeAPIServer server;
  private final String kubeconfig;

  private ApiServer(KubeAPIServer server) {
    this.server = server;
    this.kubeconfig = server.getKubeConfigYaml();
  }

  /** Starts a fresh API server with empty etcd storage and waits until it is ready. */
  public static ApiServer start(KubeBinaries binaries) {
    return start(binaries, List.of());
  }

  /**
   * Starts a fresh API server with extra kube-apiserver {@code flags} (e.g. {@code
   * --enable-aggregator-routing=true}: webhooks registered with a Service are called at the
   * Service's endpoints, as no kube-proxy runs here).
   */
  public static ApiServer start(KubeBinaries binaries, List<String> flags) {
    binaries.requirePresent();
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(binaries.kubeApiTestDir().toString())
                .withApiServerVersion(binaries.version())
                .withOfflineMode(true)
                .withStartupTimeout(120_000)
                .withApiServerFlags(flags)
                .build());
    server.start();
    return new ApiServer(server);
  }

  /** Kubeconfig YAML for a cluster-admin (system:masters) user. */
  public String adminKubeconfig() {
    return kubeconfig;
  }

  /** A new client as cluster admin; the caller closes it. */
  public KubernetesClient newAdminClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  @Override
  public void close() {
    server.stop();
  }
}
