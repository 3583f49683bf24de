package dev.seb.local;

import dev.seb.ground.SelfSignedTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's three applications as processes on loopback: the admission webhook, the
 * operator and the broker, each with its ServiceAccount's kubeconfig and its log in the run
 * directory. Closing stops them in reverse order.
 */
final class Components implements AutoCloseable {

  private static final Duration READY = Duration.ofSeconds(120);

  private final Path root;
  private final Path runDir;
  private final List<Component> started = new ArrayList<>();
  private final Map<String, String> health = new LinkedHashMap<>();
  private volatile boolean closing;

  Components(Path root, Path runDir) {
    this.root = root;
    this.runDir = runDir;
  }

  /**
   * The admission webhook, serving {@code tls} on {@code port} (https) and its health on {@code
   * healthPort}; it records break-glass writes through the broker at {@code brokerUrl}.
   */
  void startWebhook(
      Path kubeconfig, SelfSignedTls tls, int port, int healthPort, String brokerUrl) {
    Path tlsDir = runDir.resolve("webhook-tls");
    Kubeconfigs.write(tlsDir.resolve("tls.crt"), tls.certificatePem());
    Kubeconfigs.write(tlsDir.resolve("tls.key"), tls.privateKeyPem());
    launch(
        "admission-webhook",
        kubeconfig,
        Map.of(
            "quarkus.http.host", "127.0.0.1",
            "quarkus.http.ssl-port", String.valueOf(port),
            "quarkus.http.port", String.valueOf(healthPort),
            "quarkus.http.insecure-requests", "enabled",
            "quarkus.tls.key-store.pem.0.cert", tlsDir.resolve("tls.crt").toString(),
            "quarkus.tls.key-store.pem.0.key", tlsDir.resolve("tls.key").toString(),
            "seb.notices.url", brokerUrl),
        healthPort);
  }

  /** The operator, serving health on {@code port}. */
  void startOperator(Path kubeconfig, int port) {
    launch("operator", kubeconfig, Map.of("quarkus.http.port", String.valueOf(port)), port);
  }

  /** The broker, serving its API (JWKS, records, notices) and health on {@code port}. */
  void startBroker(Path kubeconfig, int port) {
    launch("broker", kubeconfig, Map.of("quarkus.http.port", String.valueOf(port)), port);
  }

  /** Waits until every started component answers ready, or fails with its log's tail. */
  void awaitReady() {
    for (Component component : started) {
      component.awaitReady(READY);
    }
  }

  /** Component name to readiness URL, in start order. */
  Map<String, String> health() {
    return new LinkedHashMap<>(health);
  }

  /**
   * Process name to pid: the launcher (this process), the components, and the other processes this
   * one started (kube-apiserver and etcd).
   */
  Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("launcher", ProcessHandle.current().pid());
    for (Component component : started) {
      pids.put(component.name(), component.pid());
    }
    ProcessHandle.current()
        .children()
        .filter(p -> started.stream().noneMatch(c -> c.pid() == p.pid()))
        .forEach(
            p ->
                pids.put(
                    p.info()
                        .command()
                        .map(c -> Path.of(c).getFileName().toString())
                        .orElse("process-" + p.pid()),
                    p.pid()));
    return pids;
  }

  /**
   * Fails with the component's log tail if a component stopped since it started, unless the stack
   * is being stopped (Ctrl-C reaches the components as well as the launcher).
   */
  void checkAlive() {
    for (Component component : List.copyOf(started)) {
      if (!component.alive() && !stoppingWithin(Duration.ofSeconds(1))) {
        throw new LocalStackException(component.name() + " stopped", component);
      }
    }
  }

  private boolean stoppingWithin(Duration grace) {
    long until = System.nanoTime() + grace.toNanos();
    while (!closing && System.nanoTime() < until) {
      Component.sleep(Duration.ofMillis(50));
    }
    return closing;
  }

  private void launch(String name, Path kubeconfig, Map<String, String> properties, int port) {
    Map<String, String> all = new LinkedHashMap<>(properties);
    all.put("quarkus.log.file.enabled", "false");
    all.putIfAbsent("quarkus.http.host", "127.0.0.1");
    String ready = healthUrl(port);
    started.add(
        Component.start(
            name,
            root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar"),
            runDir,
            kubeconfig,
            all,
            URI.create(ready)));
    health.put(name, ready);
  }

  private static String healthUrl(int port) {
    return "http://127.0.0.1:" + port + "/q/health/ready";
  }

  /** Stops the components, the last started first. */
  @Override
  public void close() {
    closing = true;
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
  }
}
