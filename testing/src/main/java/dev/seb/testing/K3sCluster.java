package dev.seb.testing;

import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** k3s in a container (Testcontainers), for machines with a Docker engine. */
public final class K3sCluster implements Cluster {

  /** Same minor version as the local test ground. */
  public static final String IMAGE = "rancher/k3s:v1.34.1-k3s1";

  private final K3sContainer container;

  private K3sCluster(K3sContainer container) {
    this.container = container;
  }

  /** Starts k3s; callers check {@link TestGround#dockerAvailable()} first. */
  public static K3sCluster start() {
    K3sContainer container = new K3sContainer(DockerImageName.parse(IMAGE));
    container.start();
    return new K3sCluster(container);
  }

  @Override
  public String name() {
    return "k3s " + IMAGE;
  }

  @Override
  public String adminKubeconfig() {
    return container.getKubeConfigYaml();
  }

  @Override
  public boolean reachesLoopbackWebhooks() {
    return false;
  }

  @Override
  public void close() {
    container.stop();
  }
}
