package dev.seb.ground;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the local stack and the test fixtures find kube-apiserver, etcd and kubectl: the binaries
 * that {@code tools/provision.sh} builds into kube-api-test's directory, for the Kubernetes version
 * that {@code tools/kubernetes/go.mod} pins, the single place it is pinned. Nothing is downloaded.
 */
public final class KubeBinaries {

  private final Path root;

  private KubeBinaries(Path root) {
    this.root = root;
  }

  /** The binaries for the seb checkout at {@code root}. */
  public static KubeBinaries of(Path root) {
    return new KubeBinaries(root);
  }

  /** The {@code k8s.io/kubernetes} version that {@code tools/kubernetes/go.mod} requires. */
  public String version() {
    Path goMod = root.resolve("tools/kubernetes/go.mod");
    try {
      return Files.readAllLines(goMod).stream()
          .map(String::trim)
          .filter(l -> l.startsWith("require k8s.io/kubernetes v"))
          .map(l -> l.substring("require k8s.io/kubernetes v".length()).trim())
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException(goMod + " does not require k8s.io/kubernetes"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + goMod, e);
    }
  }

  /** kube-api-test's working directory: {@code $KUBE_API_TEST_DIR}, else {@code ~/.kubeapitest}. */
  public Path kubeApiTestDir() {
    String env = System.getenv("KUBE_API_TEST_DIR");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".kubeapitest");
  }

  /** The directory holding etcd, kube-apiserver and kubectl. */
  public Path dir() {
    String arch =
        switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default -> System.getProperty("os.arch");
        };
    String os =
        System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("mac")
            ? "darwin"
            : "linux";
    return kubeApiTestDir().resolve("k8s").resolve(version() + "-" + os + "-" + arch);
  }

  /** The kubectl binary. */
  public Path kubectl() {
    return dir().resolve("kubectl");
  }

  /** Fails, naming the missing binary and the command that builds it, unless all three exist. */
  public void requirePresent() {
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(dir().resolve(binary))) {
        throw new IllegalStateException(
            "no "
                + binary
                + " in "
                + dir()
                + ": run tools/provision.sh (./seb-local up and README's commands do) to build the local"
                + " control plane");
      }
    }
  }
}
