package dev.seb.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a running local stack can be reached, as {@code .seb/local/state.json} records it for
 * {@code status}, {@code down} and {@code scenario} run from another terminal.
 *
 * @param runDir the run's directory: component logs, TLS material, scenario files
 * @param adminKubeconfig cluster admin (system:masters)
 * @param agentKubeconfig the agent {@code agents/planner}
 * @param auditorKubeconfig the auditor {@code auditors/auditor}
 * @param kubectl the kubectl binary the stack was built with
 * @param brokerUrl the broker's HTTP base URL (JWKS, record export, health)
 * @param health component name to readiness URL
 * @param pids process name to pid (the launcher, the components, kube-apiserver and etcd)
 */
public record Endpoints(
    Path runDir,
    Path adminKubeconfig,
    Path agentKubeconfig,
    Path auditorKubeconfig,
    Path kubectl,
    String brokerUrl,
    Map<String, String> health,
    Map<String, Long> pids) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The state file of a stack whose files live in {@code home} (normally .seb/local). */
  public static Path stateFile(Path home) {
    return home.resolve("state.json");
  }

  /** Reads the state of a running stack, if one was started. */
  public static Optional<Endpoints> read(Path home) {
    Path file = stateFile(home);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), Endpoints.class));
    } catch (IOException e) {
      throw new LocalStackException(
          "cannot read " + file + " (" + e.getMessage() + "); remove it and start again", e);
    }
  }

  void write(Path home) {
    try {
      Files.createDirectories(stateFile(home).getParent());
      JSON.writeValue(stateFile(home).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + stateFile(home), e);
    }
  }

  /** Whether the launcher that wrote this state still runs. */
  public boolean launcherAlive() {
    Long pid = pids.get("launcher");
    return pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
