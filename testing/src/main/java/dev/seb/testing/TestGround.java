package dev.seb.testing;

import dev.seb.ground.KubeBinaries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where seb's test ground lives and which implementation a run uses.
 *
 * <p>The system property {@code seb.testground} selects the provider: {@code local} (default; the
 * binaries and virtualenv of {@code tools/provision.sh}) or {@code testcontainers} (k3s and
 * LocalStack; tests are skipped when no Docker engine is reachable).
 */
public final class TestGround {

  /** System property selecting the provider. */
  public static final String PROVIDER_PROPERTY = "seb.testground";

  /** The two providers. */
  public enum Provider {
    LOCAL,
    TESTCONTAINERS
  }

  private TestGround() {}

  /** The provider selected for this run. */
  public static Provider provider() {
    String value = System.getProperty(PROVIDER_PROPERTY, "local").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "local" -> Provider.LOCAL;
      case "testcontainers" -> Provider.TESTCONTAINERS;
      default ->
          throw new IllegalArgumentException(
              PROVIDER_PROPERTY + " must be 'local' or 'testcontainers', not '" + value + "'");
    };
  }

  /**
   * Whether the selected provider cannot run here (Testcontainers without a Docker engine). For
   * tests that cannot use the extensions' own skip, such as {@code @QuarkusTest}s:
   * {@code @DisabledIf("dev.seb.testing.TestGround#unavailable")}.
   */
  public static boolean unavailable() {
    return provider() == Provider.TESTCONTAINERS && !dockerAvailable();
  }

  /**
   * Whether a Docker engine answers {@code GET /_ping} on {@code $DOCKER_HOST} (unix or tcp) or
   * {@code /var/run/docker.sock}. Deliberately plain sockets, not Testcontainers: the check also
   * runs inside Quarkus' test class loader.
   */
  public static boolean dockerAvailable() {
    String host =
        Optional.ofNullable(System.getenv("DOCKER_HOST")).orElse("unix:///var/run/docker.sock");
    try {
      if (host.startsWith("unix://")) {
        Path socket = Path.of(host.substring("unix://".length()));
        if (!Files.exists(socket)) {
          return false;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
          return ping(Channels.newInputStream(channel), Channels.newOutputStream(channel));
        }
      }
      if (host.startsWith("tcp://")) {
        URI uri = URI.create(host);
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
          socket.setSoTimeout(2000);
          return ping(socket.getInputStream(), socket.getOutputStream());
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean ping(InputStream in, OutputStream out) throws IOException {
    out.write("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] head = in.readNBytes(12);
    return new String(head, StandardCharsets.US_ASCII).matches("HTTP/1\\.[01] 200");
  }

  /** The repository root: the nearest directory upwards holding {@code tools/provision.sh}. */
  public static Path repoRoot() {
    Optional<Path> configured =
        Optional.ofNullable(System.getProperty("seb.repo.root")).map(Path::of);
    Path dir = configured.orElse(Path.of("").toAbsolutePath());
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("tools/provision.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("no seb checkout (tools/provision.sh) above " + dir);
  }

  /**
   * kube-apiserver, etcd and kubectl as {@code tools/provision.sh} builds them for this checkout.
   */
  /** seb's chart, rendered by the helm that provisioning builds. */
  public static dev.seb.ground.HelmChart chart() {
    return dev.seb.ground.HelmChart.of(repoRoot());
  }

  /**
   * One template of seb's chart as {@code helm template} renders it with the default values (and a
   * placeholder API server address for the webhook's NetworkPolicy), for {@code client.load}.
   */
  public static java.io.InputStream chartTemplate(String file) {
    return new java.io.ByteArrayInputStream(
        chart()
            .with("networkPolicy.apiServerCIDRs[0]", "10.0.0.1/32")
            .render("templates/" + file)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static KubeBinaries kubeBinaries() {
    return KubeBinaries.of(repoRoot());
  }

  /**
   * The Kubernetes version of the local test ground: the {@code k8s.io/kubernetes} version that
   * {@code tools/kubernetes/go.mod} builds, the single place it is pinned.
   */
  public static String kubernetesVersion() {
    return kubeBinaries().version();
  }

  /** The directory kube-api-test takes etcd, kube-apiserver and kubectl from. */
  public static Path kubernetesBinaries() {
    return kubeBinaries().dir();
  }

  /** The moto server executable in the project-local virtualenv. */
  public static Path motoServer() {
    return repoRoot().resolve(".seb/venv/bin/moto_server");
  }

  /** Where fixtures keep server logs: {@code target/test-ground} of the running module. */
  public static Path logDir() {
    Path dir = Path.of("target", "test-ground").toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
