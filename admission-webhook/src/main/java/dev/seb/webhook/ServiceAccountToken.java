package dev.seb.webhook;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The webhook's own ServiceAccount token: from the configured file (a pod's projected token, which
 * the kubelet rotates; re-read at most once a minute), else the bearer token of the webhook's
 * Kubernetes client configuration (a kubeconfig with a token, as in the local stack).
 */
final class ServiceAccountToken {

  private static final Logger LOG = Logger.getLogger(ServiceAccountToken.class);
  private static final long REREAD_NANOS = 60_000_000_000L;

  private final Optional<Path> file;
  private final Config client;
  private String cached;
  private long readAt;

  ServiceAccountToken(Optional<String> file, KubernetesClient client) {
    this.file = file.map(Path::of);
    this.client = client.getConfiguration();
  }

  /** The token to send, or null when there is none. */
  synchronized String current() {
    if (file.isPresent() && Files.isReadable(file.get())) {
      long now = System.nanoTime();
      if (cached == null || now - readAt > REREAD_NANOS) {
        try {
          cached = Files.readString(file.get()).strip();
          readAt = now;
        } catch (IOException e) {
          LOG.errorf("cannot read the token file %s: %s", file.get(), e);
        }
      }
      if (cached != null && !cached.isEmpty()) {
        return cached;
      }
    }
    String token = client.getOauthToken();
    if (token == null || token.isBlank()) {
      token = client.getAutoOAuthToken();
    }
    return token == null || token.isBlank() ? null : token;
  }
}
