package dev.seb.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code seb.notices.*}: where the webhook tells the broker about break-glass writes and unprotects
 * ({@code POST /v1/notices}) before it allows them, and with which credentials.
 */
@ConfigMapping(prefix = "seb.notices")
public interface NoticesConfig {

  /** The broker's base URL (http or https); the notice goes to {@code <url>/v1/notices}. */
  @WithDefault("http://seb-broker.seb-system.svc")
  String url();

  /**
   * The PEM CA bundle that signed an https broker's certificate; unset: the JVM's default trust.
   */
  Optional<String> caFile();

  /**
   * A file holding the webhook's ServiceAccount token (in a pod: the projected token, which the
   * kubelet rotates; it is re-read every minute). Unset or absent: the bearer token of the
   * webhook's own Kubernetes client configuration (its kubeconfig, in the local stack).
   */
  Optional<String> tokenFile();

  /**
   * How long the broker has to answer, within the API server's webhook timeout; a notice not
   * confirmed by then denies the write.
   */
  @WithDefault("PT4S")
  Duration timeout();
}
