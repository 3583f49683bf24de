package dev.seb.local.ground;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local stack's control plane: kube-apiserver and etcd as local processes, started through
 * Fabric8 kube-api-test in offline mode from {@link KubeBinaries}. Closing it stops both.
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
    binaries.requirePresent();
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(binaries.kubeApiTestDir().toString())
                .withApiServerVersion(binaries.version())
                .withOfflineMode(true)
                .withStartupTimeout(120_000)
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

  /**
   * Installs every CRD in a directory of {@code .yml} files and waits until each is Established.
   */
  public void installCrds(Path dir) {
    try (KubernetesClient admin = newAdminClient();
        Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinition crd =
              admin.apiextensions().v1().customResourceDefinitions().load(in).item();
          admin.resource(crd).create();
          admin
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(ApiServer::established, 30, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install CRDs from " + dir.toAbsolutePath(), e);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    server.stop();
  }
}
