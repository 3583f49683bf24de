package dev.seb.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The local stack's files in its home directory (normally {@code .seb/local}): the kubeconfigs of
 * the admin, the agent and the auditor, one directory a run ({@code runs/<time>}, with {@code
 * current} linking to the newest), the state file and {@code bin/} for the user's PATH.
 */
final class LocalHome {

  private final Path home;

  LocalHome(Path home) {
    this.home = home;
  }

  Path kubeconfig(String who) {
    return home.resolve(who + ".kubeconfig");
  }

  /** A new {@code runs/<yyyyMMdd-HHmmss>} directory, which {@code current} then links to. */
  Path newRunDir() {
    Path runDir =
        home.resolve("runs")
            .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    try {
      Files.createDirectories(runDir);
      Path current = home.resolve("current");
      Files.deleteIfExists(current);
      Files.createSymbolicLink(current, home.relativize(runDir));
      return runDir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run directory " + runDir, e);
    }
  }

  /** Records where the running stack is reached, for commands run from another terminal. */
  void writeState(Endpoints endpoints) {
    endpoints.write(home);
  }

  /** Removes the state file; says so on {@code out} if it cannot. */
  void removeState(PrintStream out) {
    try {
      Files.deleteIfExists(Endpoints.stateFile(home));
    } catch (IOException e) {
      out.println("[seb-local] could not remove " + Endpoints.stateFile(home));
    }
  }

  /** {@code <home>/bin}: kubectl and the {@code kubectl seb} plugin, for the user's PATH. */
  void linkTools(Path kubectl, Path kubectlSeb) {
    Path bin = home.resolve("bin");
    try {
      Files.createDirectories(bin);
      for (Map.Entry<String, Path> link :
          Map.of("kubectl", kubectl, "kubectl-seb", kubectlSeb).entrySet()) {
        Path at = bin.resolve(link.getKey());
        Files.deleteIfExists(at);
        Files.createSymbolicLink(at, link.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link tools into " + bin, e);
    }
  }
}
