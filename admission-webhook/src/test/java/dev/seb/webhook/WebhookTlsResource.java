package dev.seb.webhook;

import dev.seb.testing.SelfSignedTls;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves the webhook under test over HTTPS with a fresh self-signed certificate for 127.0.0.1, the
 * way the API server reaches a {@code url:} webhook; injects the {@link SelfSignedTls} for its CA.
 */
public final class WebhookTlsResource implements QuarkusTestResourceLifecycleManager {

  private SelfSignedTls tls;
  private Path dir;

  @Override
  public Map<String, String> start() {
    tls = SelfSignedTls.generate();
    try {
      dir = Files.createTempDirectory("seb-webhook-tls");
      Path cert = Files.writeString(dir.resolve("tls.crt"), tls.certificatePem());
      Path key = Files.writeString(dir.resolve("tls.key"), tls.privateKeyPem());
      return Map.of(
          "quarkus.tls.key-store.pem.0.cert",
          cert.toString(),
          "quarkus.tls.key-store.pem.0.key",
          key.toString(),
          "quarkus.http.test-ssl-port",
          "0",
          "quarkus.http.host",
          "127.0.0.1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(tls, new TestInjector.MatchesType(SelfSignedTls.class));
  }

  @Override
  public void stop() {
    // the temporary key material goes with the JVM's temp directory
  }
}
