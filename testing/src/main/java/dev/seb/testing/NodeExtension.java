package dev.seb.testing;

import dev.seb.ground.NodeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node cluster ({@link NodeCluster}) per test class, with seb's three images and the
 * pause image on the node. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final NodeExtension node = new NodeExtension();
 * }</pre>
 *
 * <p>Where containers cannot run here ({@code tools/node.sh check} says why: not root, no cgroups,
 * runtime missing) or seb's images were not built ({@code -Dseb.images.skip} on a clean tree), the
 * class is skipped with that one line. The components' logs stay in {@code
 * target/test-ground/node-<class>-<time>/logs}.
 */
public final class NodeExtension implements BeforeAllCallback, AfterAllCallback {

  /** The modules whose images the node carries, as {@code ./mvnw package} builds them. */
  public static final List<String> COMPONENTS = List.of("operator", "broker", "admission-webhook");

  private NodeCluster node;
  private KubernetesClient admin;

  @Override
  public void beforeAll(ExtensionContext context) {
    Path root = TestGround.repoRoot();
    Optional<String> unavailable = NodeCluster.unavailable(root);
    Assumptions.assumeTrue(
        unavailable.isEmpty(),
        () -> "no single-node cluster on this machine: " + unavailable.orElse(""));
    List<Path> images = new ArrayList<>();
    for (String component : COMPONENTS) {
      Path image = imageArchive(component);
      Assumptions.assumeTrue(
          Files.isRegularFile(image),
          () -> "no image archive " + image + " (./mvnw package builds it, -Dseb.images.skip not)");
      images.add(image);
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss"));
    Path dir =
        TestGround.logDir()
            .resolve("node-" + context.getRequiredTestClass().getSimpleName() + "-" + stamp);
    node = NodeCluster.start(root, dir);
    node.importImages(images.toArray(Path[]::new));
    admin = node.newAdminClient();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try (NodeCluster n = node;
        KubernetesClient a = admin) {
      // closed in reverse order: the client, then the node
    }
  }

  /** The OCI archive {@code ./mvnw package} built for {@code component}. */
  public static Path imageArchive(String component) {
    return TestGround.repoRoot()
        .resolve(component)
        .resolve("target")
        .resolve("seb-" + component + "-image.tar");
  }

  /** The running cluster. */
  public NodeCluster node() {
    return node;
  }

  /** A cluster-admin client, closed after the class. */
  public KubernetesClient admin() {
    return admin;
  }
}
