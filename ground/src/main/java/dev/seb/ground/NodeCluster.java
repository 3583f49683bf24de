package dev.seb.ground;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node cluster on this machine, started and torn down by {@code tools/node.sh}: etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler, containerd with runc and the CNI bridge,
 * kube-proxy and a kubelet registered as the node {@value #NODE}. Images come from archives
 * imported into the node's containerd; nothing is pulled. All state lives in one directory; closing
 * the cluster stops every process and removes mounts, network namespaces, the bridge, iptables
 * chains and cgroups, and keeps the components' logs ({@link #logs()}) unless told to drop them.
 */
public final class NodeCluster implements AutoCloseable {

  /** The node's name. */
  public static final String NODE = "seb-node";

  private static final Duration UP = Duration.ofMinutes(4);

  private final Path root;
  private final Path dir;
  private final String kubeconfig;
  private boolean closed;

  private final Thread shutdownHook;

  private NodeCluster(Path root, Path dir) throws IOException {
    this.root = root;
    this.dir = dir;
    this.kubeconfig = Files.readString(dir.resolve("admin.kubeconfig"));
    // a JVM that is stopped (a test run interrupted, a timeout) still takes the node down
    this.shutdownHook = new Thread(this::close, "seb-node-down");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Why this machine cannot run the node (not root, no cgroups, runtime or binaries missing), as
   * {@code tools/node.sh check} says it; empty when it can.
   */
  public static Optional<String> unavailable(Path root) {
    Result check = run(root, Duration.ofMinutes(1), script(root), "check");
    return check.exit() == 0 ? Optional.empty() : Optional.of(check.output().strip());
  }

  /**
   * Starts the cluster with its state in {@code dir} (a fresh directory) and waits for the node to
   * be Ready; on failure tears down what started and throws with the components' log directory.
   */
  public static NodeCluster start(Path root, Path dir) {
    try {
      Files.createDirectories(dir);
      Result up = run(root, UP, script(root), "up", dir.toString());
      Files.writeString(dir.resolve("up.log"), up.output());
      if (up.exit() != 0) {
        throw new IllegalStateException(
            "the single-node cluster did not come up (logs in "
                + dir.resolve("logs")
                + "):\n"
                + up.output());
      }
      return new NodeCluster(root, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Imports image archives (OCI or Docker) into the node's containerd. */
  public void importImages(Path... archives) {
    List<String> command = new ArrayList<>(List.of(script(root), "import", dir.toString()));
    for (Path archive : archives) {
      command.add(archive.toString());
    }
    check(run(root, Duration.ofMinutes(5), command.toArray(String[]::new)));
  }

  /** Gives the image {@code source} (already on the node) the further name {@code target}. */
  public void tagImage(String source, String target) {
    check(run(root, Duration.ofMinutes(1), ctr("images", "tag", "--force", source, target)));
  }

  /**
   * SIGKILLs the container with the CRI id {@code containerId} (a pod's {@code containerStatuses[].
   * containerID} without its {@code containerd://}): the process dies at once, the kubelet restarts
   * the container in the same pod.
   */
  public void killContainer(String containerId) {
    check(
        run(root, Duration.ofMinutes(1), ctr("tasks", "kill", "--signal", "SIGKILL", containerId)));
  }

  /** The node's address: where it advertises the API server and where pods are reached from. */
  public String nodeIp() {
    try {
      return Files.readString(dir.resolve("node-ip")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kubeconfig YAML for a cluster-admin (system:masters) user. */
  public String adminKubeconfig() {
    return kubeconfig;
  }

  /** The file of {@link #adminKubeconfig()}, for kubectl and helm. */
  public Path adminKubeconfigFile() {
    return dir.resolve("admin.kubeconfig");
  }

  /** A new client as cluster admin; the caller closes it. */
  public KubernetesClient newAdminClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  /** The components' logs ({@code <component>.log}); kept after {@link #close()}. */
  public Path logs() {
    return dir.resolve("logs");
  }

  /** Tears the cluster down and removes its state but the logs. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (Thread.currentThread() != shutdownHook) {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    }
    Result down = run(root, Duration.ofMinutes(3), script(root), "down", dir.toString());
    try {
      Files.writeString(dir.resolve("down.log"), down.output());
      try (var entries = Files.list(dir)) {
        for (Path entry : entries.toList()) {
          if (!entry.equals(logs()) && !entry.getFileName().toString().endsWith(".log")) {
            deleteRecursively(entry);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (down.exit() != 0) {
      throw new IllegalStateException("tearing the node down failed:\n" + down.output());
    }
  }

  private String[] ctr(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ctr",
                "--address",
                dir.resolve("containerd/containerd.sock").toString(),
                "--namespace",
                "k8s.io"));
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  private static String script(Path root) {
    return root.resolve("tools/node.sh").toString();
  }

  private static void check(Result result) {
    if (result.exit() != 0) {
      throw new IllegalStateException(result.output());
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    try (var paths = Files.walk(path)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(Path root, Duration timeout, String... command) {
    Path output = null;
    try {
      // output to a file, not a pipe: the wait below must not depend on the command closing it
      output = Files.createTempFile("seb-node", ".out");
      Process process =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(
            -1,
            String.join(" ", command)
                + " took longer than "
                + timeout
                + ":\n"
                + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command[0], e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // a temporary file left behind
        }
      }
    }
  }
}
