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
final class Component implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path log;
  private final URI ready;
  private final Process process;

  private Component(String name, Path log, URI ready, Process process) {
    this.name = name;
    this.log = log;
    this.ready = ready;
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
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    try {
      return new Component(name, log, ready, builder.start());
    } catch (IOException e) {
      throw new LocalStackException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  /** Waits until the component answers ready, or fails with the tail of its log. */
  void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new LocalStackException(
            name + " exited with status " + process.exitValue() + " while starting", this);
      }
      try {
        HttpResponse<Void> response =
            HTTP.send(
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

  boolean alive() {
    return process.isAlive();
  }

  /** The last lines of the component's log. */
  String tail(int lines) {
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
