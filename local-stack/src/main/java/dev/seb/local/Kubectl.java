package dev.seb.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl as one of the scenario's people, and shows the command and its output. */
final class Kubectl {

  /** What kubectl printed and how it exited. */
  record Result(int exit, String stdout, String stderr) {

    String output() {
      return (stdout + stderr).strip();
    }
  }

  private final Path binary;
  private final Path root;
  private final PrintStream out;

  Kubectl(Path binary, Path root, PrintStream out) {
    this.binary = binary;
    this.root = root;
    this.out = out;
  }

  /** Runs {@code kubectl --kubeconfig <kubeconfig> args...}, printing both as a terminal would. */
  Result run(Path kubeconfig, String... args) {
    List<String> command =
        new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    out.println(
        "  $ kubectl --kubeconfig "
            + shown(kubeconfig)
            + " "
            + String.join(" ", List.of(args).stream().map(Kubectl::quoted).toList()));
    try {
      Process process = new ProcessBuilder(command).start();
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String stdout = read(process.getInputStream());
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new LocalStackException("kubectl did not finish within 60 s: " + command);
      }
      Result result = new Result(process.exitValue(), stdout, stderr.join());
      if (!result.output().isEmpty()) {
        out.println(result.output().indent(4).stripTrailing());
      }
      return result;
    } catch (IOException e) {
      throw new LocalStackException("cannot run " + binary + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalStackException("interrupted while running kubectl", e);
    }
  }

  private String shown(Path path) {
    Path absolute = path.toAbsolutePath();
    return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
  }

  private static String quoted(String arg) {
    return arg.matches("[A-Za-z0-9_./:=,@+-]*") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
