package dev.seb.contracts.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.testing.Cluster;
import dev.seb.testing.TestGround;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real kubectl of the test ground, as the cluster admin. */
final class Kubectl {

  private final Path kubeconfig;

  private Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /** kubectl with the cluster's admin kubeconfig. */
  static Kubectl asAdmin(Cluster cluster) throws IOException {
    Path kubeconfig = Files.createTempFile("seb-admin", ".kubeconfig");
    Files.writeString(kubeconfig, cluster.adminKubeconfig());
    kubeconfig.toFile().deleteOnExit();
    return new Kubectl(kubeconfig);
  }

  /** Starts kubectl with these arguments; stderr goes to stdout. */
  Process start(String... args) throws IOException {
    List<String> command =
        Stream.concat(
                Stream.of(
                    TestGround.kubernetesBinaries().resolve("kubectl").toString(),
                    "--kubeconfig",
                    kubeconfig.toString()),
                Stream.of(args))
            .toList();
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Runs kubectl, asserts it succeeded, and returns what it printed. */
  String run(String... args) throws IOException, InterruptedException {
    Process process = start(args);
    String output = output(process);
    assertThat(process.waitFor()).as("kubectl %s: %s", String.join(" ", args), output).isZero();
    return output;
  }

  /** Everything the process printed, once it closed its output. */
  static String output(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
