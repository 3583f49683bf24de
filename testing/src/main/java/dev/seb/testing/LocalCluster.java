package dev.seb.testing;

import dev.seb.ground.ApiServer;
import dev.seb.ground.KubeBinaries;

/**
 * kube-apiserver and etcd as local processes: seb-ground's {@link ApiServer}, from the binaries
 * that {@code tools/provision.sh} builds. Offline mode: nothing is ever downloaded.
 */
public final class LocalCluster implements Cluster {

  private final ApiServer server;
  private final String version;

  private LocalCluster(ApiServer server, String version) {
    this.server = server;
    this.version = version;
  }

  /** Starts a fresh API server with empty etcd storage and waits until it is ready. */
  public static LocalCluster start() {
    return start(java.util.List.of());
  }

  /** Starts a fresh API server with extra kube-apiserver flags. */
  public static LocalCluster start(java.util.List<String> flags) {
    KubeBinaries binaries = TestGround.kubeBinaries();
    return new LocalCluster(ApiServer.start(binaries, flags), binaries.version());
  }

  @Override
  public String name() {
    return "local kube-apiserver " + version;
  }

  @Override
  public String adminKubeconfig() {
    return server.adminKubeconfig();
  }

  @Override
  public boolean reachesLoopbackWebhooks() {
    return true;
  }

  @Override
  public void close() {
    server.close();
  }
}
