package dev.seb.webhook;

import dev.seb.ground.SelfSignedTls;
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

  /**
   * The served certificate and key, laid out as the kubelet mounts a Secret: the files are links
   * through a {@code ..data} link to a versioned directory, so a rotation swaps both at once.
   */
  public record TlsFiles(Path dir) {

    /** Swaps in a new certificate and key atomically, as a Secret update does. */
    public void rotate(SelfSignedTls next) throws IOException {
      Path version = Files.createTempDirectory(dir, "data-");
      Files.writeString(version.resolve("tls.crt"), next.certificatePem());
      Files.writeString(version.resolve("tls.key"), next.privateKeyPem());
      Path link = dir.resolve("..data_tmp");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, version.getFileName());
      Files.move(
          link,
          dir.resolve("..data"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Init argument: how often the certificate files are re-read ({@code 1s} unless given, so that a
   * rotation shows within a test).
   */
  public static final String RELOAD_PERIOD = "reload-period";

  private SelfSignedTls tls;
  private TlsFiles files;
  private Path dir;
  private String reloadPeriod = "1s";

  @Override
  public void init(Map<String, String> initArgs) {
    reloadPeriod = initArgs.getOrDefault(RELOAD_PERIOD, reloadPeriod);
  }

  @Override
  public Map<String, String> start() {
    tls = SelfSignedTls.generate("seb-test-webhook");
    try {
      dir = Files.createTempDirectory("seb-webhook-tls");
      files = new TlsFiles(dir);
      files.rotate(tls);
      Path cert = Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data", "tls.crt"));
      Path key = Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data", "tls.key"));
      return Map.of(
          "quarkus.tls.reload-period",
          reloadPeriod,
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
    testInjector.injectIntoFields(files, new TestInjector.MatchesType(TlsFiles.class));
  }

  @Override
  public void stop() {
    // the temporary key material goes with the JVM's temp directory
  }
}
