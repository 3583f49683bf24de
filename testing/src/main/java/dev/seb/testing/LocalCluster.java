package dev.seb.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * kube-apiserver and etcd as local processes, started through Fabric8 kube-api-test from the
 * binaries that {@code tools/provision.sh} builds. Offline mode: nothing is ever downloaded.
 */
public final class LocalCluster implements Cluster {

  private final KubeAPIServer server;
  private final String kubeconfig;

  private LocalCluster(KubeAPIServer server) {
    this.server = server;
    this.kubeconfig = server.getKubeConfigYaml();
  }

  /** Starts a fresh API server with empty etcd storage and waits until it is ready. */
  public static LocalCluster start() {
    Path binaries = TestGround.kubernetesBinaries();
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        throw new IllegalStateException(
            "no "
                + binary
                + " in "
                + binaries
                + ": run tools/provision.sh (README's commands do) to build the local test ground");
      }
    }
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(TestGround.kubeApiTestDir().toString())
                .withApiServerVersion(TestGround.kubernetesVersion())
                .withOfflineMode(true)
                .withStartupTimeout(120_000)
                .build());
    server.start();
    return new LocalCluster(server);
  }

  @Override
  public String name() {
    return "local kube-apiserver " + TestGround.kubernetesVersion();
  }

  @Override
  public String adminKubeconfig() {
    return kubeconfig;
  }

  @Override
  public boolean reachesLoopbackWebhooks() {
    return true;
  }

  @Override
  public void close() {
    server.stop();
  }
}
