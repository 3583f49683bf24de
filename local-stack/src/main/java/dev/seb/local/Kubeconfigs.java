package dev.seb.local;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes kubeconfig files (mode 0600) for the local API server. */
public final class Kubeconfigs {

  /** How long the local stack's ServiceAccount tokens live. */
  static final long TOKEN_SECONDS = 24 * 3600;

  private Kubeconfigs() {}

  /** Writes YAML to a new file readable only by its owner. */
  public static Path write(Path file, String yaml) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Writes {@code <dir>/<account>.kubeconfig} for one of seb's components: its ServiceAccount in
   * {@code seb-system}.
   */
  static Path forSebComponent(KubernetesClient admin, Path dir, String account) {
    return write(
        dir.resolve(account + ".kubeconfig"),
        forServiceAccount(admin, ClusterObjects.SEB_NS, account, ClusterObjects.SEB_NS));
  }

  /** Writes {@code file}: the scenario's agent {@code agents/planner}, working in {@code shop}. */
  public static Path forScenarioAgent(KubernetesClient admin, Path file) {
    return write(file, forServiceAccount(admin, "agents", "planner", Shop.NAMESPACE));
  }

  /** Writes {@code file}: the scenario's auditor {@code auditors/auditor}. */
  public static Path forScenarioAuditor(KubernetesClient admin, Path file) {
    return write(file, forServiceAccount(admin, "auditors", "auditor", Shop.NAMESPACE));
  }

  /** A kubeconfig for a ServiceAccount, with a TokenRequest token and the admin's server and CA. */
  public static String forServiceAccount(
      KubernetesClient admin, String namespace, String name, String defaultNamespace) {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(name)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(TOKEN_SECONDS)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return forToken(admin.getConfiguration(), name, token, defaultNamespace);
  }

  /** A kubeconfig that authenticates with a bearer token only. */
  static String forToken(Config server, String user, String token, String defaultNamespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: seb-local
            cluster:
              server: %s
              certificate-authority-data: %s
        users:
          - name: %s
            user:
              token: %s
        contexts:
          - name: %s@seb-local
            context:
              cluster: seb-local
              user: %s
              namespace: %s
        current-context: %s@seb-local
        """
        .formatted(
            server.getMasterUrl(), caData(server), user, token, user, user, defaultNamespace, user);
  }

  private static String caData(Config config) {
    if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
      return config.getCaCertData();
    }
    try {
      return Base64.getEncoder()
          .encodeToString(
              Files.readString(Path.of(config.getCaCertFile())).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API server's CA", e);
    }
  }
}
