package dev.seb.testing;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application's Kubernetes client at a real API server started for
 * the test (see {@link TestGround#provider()}), with cluster-admin credentials.
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = QuarkusClusterResource.class, restrictToAnnotatedClass = true)
 * }</pre>
 */
public final class QuarkusClusterResource implements QuarkusTestResourceLifecycleManager {

  /** Init argument: a directory of CRD YAML files to install before the application starts. */
  public static final String CRDS = "crds";

  private Cluster cluster;
  private String crds;

  @Override
  public void init(Map<String, String> initArgs) {
    crds = initArgs.get(CRDS);
  }

  @Override
  public Map<String, String> start() {
    cluster =
        switch (TestGround.provider()) {
          case LOCAL -> LocalCluster.start();
          case TESTCONTAINERS -> {
            if (!TestGround.dockerAvailable()) {
              throw new IllegalStateException(
                  "seb.testground=testcontainers needs a Docker engine; none answers here");
            }
            yield K3sCluster.start();
          }
        };
    if (crds != null) {
      cluster.installCrds(Path.of(crds));
    }
    Config config = cluster.adminConfig();
    Map<String, String> properties = new HashMap<>();
    properties.put("quarkus.kubernetes-client.api-server-url", config.getMasterUrl());
    putIfSet(properties, "ca-cert-file", config.getCaCertFile());
    putIfSet(properties, "ca-cert-data", config.getCaCertData());
    putIfSet(properties, "client-cert-file", config.getClientCertFile());
    putIfSet(properties, "client-cert-data", config.getClientCertData());
    putIfSet(properties, "client-key-file", config.getClientKeyFile());
    putIfSet(properties, "client-key-data", config.getClientKeyData());
    putIfSet(properties, "client-key-algo", config.getClientKeyAlgo());
    return properties;
  }

  private static void putIfSet(Map<String, String> properties, String key, String value) {
    if (value != null && !value.isBlank()) {
      properties.put("quarkus.kubernetes-client." + key, value);
    }
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(cluster, new TestInjector.MatchesType(Cluster.class));
  }

  @Override
  public void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
