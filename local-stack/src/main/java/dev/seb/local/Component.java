package dev.seb.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of seb's applications (operator, broker, admission webhook) running as a local Java process
 * from its packaged Quarkus application, with its output in a log file.
 */
public final class Component implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path log;
  private final URI ready;
  private final HttpClient probe;
  private final Process process;

  private Component(String name, Path log, URI ready, HttpClient probe, Process process) {
    this.name = name;
    this.log = log;
    this.ready = ready;
    this.probe = probe;
    this.process = process;
  }

  /**
   * Starts {@code <module>/target/quarkus-app/quarkus-run.jar} with the given system properties and
   * a kubeconfig, logging to {@code <runDir>/<name>.log}.
   *
   * @param ready the URL that answers 200 once the component is ready
   */
  /** Environment variable with extra JVM options for the components (space-separated). */
  static final String JAVA_OPTS = "SEB_LOCAL_JAVA_OPTS";

  static Component start(
      String name,
      Path application,
      Path runDir,
      Path kubeconfig,
      Map<String, String> properties,
      URI ready) {
    return start(name, application, runDir, kubeconfig, properties, Map.of(), ready, HTTP);
  }

  /**
   * Like {@link #start(String, Path, Path, Path, Map, URI)}, with environment variables as a pod
   * spec sets them and the client that probes {@code ready} (e.g. one trusting the CA of a
   * component that serves its health over HTTPS only).
   */
  public static Component start(
      String name,
      Path application,
      Path runDir,
      Path kubeconfig,
      Map<String, String> properties,
      Map<String, String> environment,
      URI ready,
      HttpClient probe) {
    if (!Files.isRegularFile(application)) {
      throw new LocalStackException(
          "no packaged "
              + name
              + " at "
              + application
              + ": build it first (./seb-local does: ./mvnw package -DskipTests -pl local-stack -am)");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC");
    // extra JVM options for every component, e.g. a profiler; {name} is the component's name
    String extra = System.getenv(JAVA_OPTS);
    if (extra != null && !extra.isBlank()) {
      for (String option : extra.trim().split("\\s+")) {
        command.add(option.replace("{name}", name));
      }
    }
    command.add("-Dkubeconfig=" + kubeconfig);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(application.toString());
    Path log = runDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(runDir.toFile());
    builder.environment().putAll(environment);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    try {
      return new Component(name, log, ready, probe, builder.start());
    } catch (IOException e) {
      throw new LocalStackException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  /** Waits until the component answers ready, or fails with the tail of its log. */
  public void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new LocalStackException(
            name + " exited with status " + process.exitValue() + " while starting", this);
      }
      try {
        HttpResponse<Void> response =
            probe.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LocalStackException("interrupted while waiting for " + name, this);
      }
      sleep(Duration.ofMillis(250));
    }
    throw new LocalStackException(
        name + " was not ready at " + ready + " within " + timeout.toSeconds() + " s", this);
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The last lines of the component's log. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  /** Stops the process: SIGTERM, then after 10 s SIGKILL. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalStackException("interrupted", e);
    }
  }
}
