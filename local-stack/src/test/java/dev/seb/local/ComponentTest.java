package dev.seb.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentTest {

  @TempDir Path dir;

  @Test
  void aComponentThatDiesWhileStartingFailsWithItsLogTail() throws Exception {
    Path notAJar = Files.writeString(dir.resolve("quarkus-run.jar"), "not a jar");
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "");
    try (Component broken =
        Component.start(
            "broker",
            notAJar,
            dir,
            kubeconfig,
            Map.of(),
            URI.create("http://127.0.0.1:1/q/health/ready"))) {
      assertThatThrownBy(() -> broken.awaitReady(Duration.ofSeconds(30)))
          .isInstanceOf(LocalStackException.class)
          .hasMessageContaining("broker exited with status")
          .hasMessageContaining(dir.resolve("broker.log").toString())
          .hasMessageContaining("jarfile");
    }
  }

  @Test
  void aMissingApplicationSaysHowToBuildIt() {
    assertThatThrownBy(
            () ->
                Component.start(
                    "operator",
                    dir.resolve("absent.jar"),
                    dir,
                    dir.resolve("kubeconfig"),
                    Map.of(),
                    URI.create("http://127.0.0.1:1/")))
        .isInstanceOf(LocalStackException.class)
        .hasMessageContaining("no packaged operator")
        .hasMessageContaining("-pl local-stack -am");
  }
}
