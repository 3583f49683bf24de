package dev.seb.local;

import dev.seb.ground.ApiServer;
import dev.seb.ground.Crds;
import dev.seb.ground.KubeBinaries;
import dev.seb.ground.LoopbackPorts;
import dev.seb.ground.SelfSignedTls;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * seb on this machine: the local kube-apiserver + etcd, seb's CRDs, RBAC, admission webhook
 * registrations and ValidatingAdmissionPolicy, and the operator, broker and webhook as local
 * processes running under their own ServiceAccounts, plus kubeconfigs for an admin, an agent and an
 * auditor. Closing it stops everything it started.
 */
public final class LocalStack implements AutoCloseable {

  /** The workload the scenario works on. */
  static final String SHOP = "shop";

  static final String IMAGE = "registry.example/shop/web:1.4.2";

  private static final String SEB_NS = "seb-system";
  private static final Duration READY = Duration.ofSeconds(120);

  private final Path root;
  private final Path home;
  private final PrintStream out;
  private final List<Component> components = new ArrayList<>();
  private final KubeBinaries binaries;
  private ApiServer cluster;
  private Endpoints endpoints;
  private volatile boolean closing;

  private LocalStack(Path root, Path home, PrintStream out) {
    this.root = root;
    this.home = home;
    this.out = out;
    this.binaries = KubeBinaries.of(root);
  }

  /**
   * Starts everything from the seb checkout at {@code root}, keeping kubeconfigs, state and run
   * directories in {@code home} (normally {@code .seb/local}); if any part fails, whatever was
   * started is stopped again and the failure says which part and where its log is.
   */
  public static LocalStack up(Path root, Path home, PrintStream out) {
    Endpoints.read(home)
        .filter(Endpoints::launcherAlive)
        .ifPresent(
            running -> {
              throw new LocalStackException(
                  "seb's local stack is already up (launcher pid "
                      + running.pids().get("launcher")
                      + ", logs in "
                      + running.runDir()
                      + "); stop it with ./seb-local down");
            });
    LocalStack stack = new LocalStack(root, home, out);
    try {
      stack.start();
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  /** Where the running stack is reached. */
  public Endpoints endpoints() {
    return endpoints;
  }

  private void start() {
    Path runDir = newRunDir();
    step("run directory (component logs): " + runDir);
    step("starting kube-apiserver " + binaries.version() + " and etcd");
    cluster = ApiServer.start(binaries);
    Path adminKubeconfig =
        Kubeconfigs.write(home.resolve("admin.kubeconfig"), cluster.adminKubeconfig());
    try (KubernetesClient admin = cluster.newAdminClient()) {
      step("applying crds/");
      Crds.install(admin, root.resolve("crds"));
      for (String ns : List.of(SEB_NS, "agents", "auditors", SHOP)) {
        admin
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .serverSideApply();
      }
      admin.resource(webDeployment()).serverSideApply();
      step("applying seb's RBAC (charts/seb/templates) and the demo identities");
      for (String file :
          List.of("operator-rbac.yaml", "broker-rbac.yaml", "admission-webhook-rbac.yaml")) {
        apply(admin, root.resolve("charts/seb/templates").resolve(file));
      }
      try (InputStream people = LocalStack.class.getResourceAsStream("people.yaml")) {
        applyAll(admin, admin.load(people).items());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }

      SelfSignedTls tls = SelfSignedTls.generate("seb-local-webhook");
      Path tlsDir = runDir.resolve("webhook-tls");
      writeTls(tlsDir, tls);
      int webhookPort = LoopbackPorts.free();
      int webhookHealthPort = LoopbackPorts.free();
      // the webhook records break-glass through the broker, which starts later on this port
      int brokerPort = LoopbackPorts.free();
      step("starting the admission webhook on https://127.0.0.1:" + webhookPort);
      Component webhook =
          launch(
              "admission-webhook",
              runDir,
              serviceAccountKubeconfig(admin, runDir, "seb-admission-webhook"),
              Map.of(
                  "quarkus.http.host", "127.0.0.1",
                  "quarkus.http.ssl-port", String.valueOf(webhookPort),
                  "quarkus.http.port", String.valueOf(webhookHealthPort),
                  "quarkus.http.insecure-requests", "enabled",
                  "quarkus.tls.key-store.pem.0.cert", tlsDir.resolve("tls.crt").toString(),
                  "quarkus.tls.key-store.pem.0.key", tlsDir.resolve("tls.key").toString(),
                  "seb.notices.url", "http://127.0.0.1:" + brokerPort),
              webhookHealthPort);
      step("registering the admission webhooks (url: with their CA) and the admission policy");
      applyAll(
          admin,
          AdmissionRegistration.forUrl("https://127.0.0.1:" + webhookPort + "/", tls.caBundle()));
      apply(admin, root.resolve("charts/seb/templates/validating-admission-policy.yaml"));
      apply(admin, root.resolve("charts/seb/templates/validating-admission-policy-seb-kinds.yaml"));
      // the namespace is guarded once the workload exists
      admin
          .namespaces()
          .withName(SHOP)
          .edit(
              ns -> {
                ns.getMetadata().getLabels().put(AdmissionRegistration.PROTECTED_LABEL, "true");
                return ns;
              });

      int operatorPort = LoopbackPorts.free();
      step("starting the operator as seb-system/seb-operator");
      launch(
          "operator",
          runDir,
          serviceAccountKubeconfig(admin, runDir, "seb-operator"),
          Map.of("quarkus.http.port", String.valueOf(operatorPort)),
          operatorPort);
      step("starting the broker as seb-system/seb-broker");
      launch(
          "broker",
          runDir,
          serviceAccountKubeconfig(admin, runDir, "seb-broker"),
          Map.of("quarkus.http.port", String.valueOf(brokerPort)),
          brokerPort);
      for (Component component : components) {
        component.awaitReady(READY);
      }

      Path agent =
          Kubeconfigs.write(
              home.resolve("agent.kubeconfig"),
              Kubeconfigs.forServiceAccount(admin, "agents", "planner", SHOP));
      Path auditor =
          Kubeconfigs.write(
              home.resolve("auditor.kubeconfig"),
              Kubeconfigs.forServiceAccount(admin, "auditors", "auditor", SHOP));
      Map<String, String> health = new LinkedHashMap<>();
      Map<String, Long> pids = new LinkedHashMap<>();
      pids.put("launcher", ProcessHandle.current().pid());
      for (Component component : components) {
        pids.put(component.name(), component.pid());
      }
      ProcessHandle.current()
          .children()
          .filter(p -> components.stream().noneMatch(c -> c.pid() == p.pid()))
          .forEach(
              p ->
                  pids.put(
                      p.info()
                          .command()
                          .map(c -> Path.of(c).getFileName().toString())
                          .orElse("process-" + p.pid()),
                      p.pid()));
      health.put("admission-webhook", healthUrl(webhookHealthPort));
      health.put("operator", healthUrl(operatorPort));
      health.put("broker", healthUrl(brokerPort));
      endpoints =
          new Endpoints(
              runDir,
              adminKubeconfig,
              agent,
              auditor,
              binaries.kubectl(),
              "http://127.0.0.1:" + brokerPort,
              health,
              pids);
      endpoints.write(home);
      linkTools();
    }
  }

  /** Stops the components, then the API server and etcd, and removes the state file. */
  @Override
  public void close() {
    closing = true;
    for (int i = components.size() - 1; i >= 0; i--) {
      components.get(i).close();
    }
    components.clear();
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
    try {
      if (endpoints != null) {
        Files.deleteIfExists(Endpoints.stateFile(home));
      }
    } catch (IOException e) {
      out.println("[seb-local] could not remove " + Endpoints.stateFile(home));
    }
  }

  /**
   * Fails with the component's log tail if a component stopped since it started, unless the stack
   * is being stopped (Ctrl-C reaches the components as well as the launcher).
   */
  public void checkAlive() {
    for (Component component : List.copyOf(components)) {
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

  private Component launch(
      String name, Path runDir, Path kubeconfig, Map<String, String> properties, int port) {
    Map<String, String> all = new LinkedHashMap<>(properties);
    all.put("quarkus.log.file.enabled", "false");
    all.putIfAbsent("quarkus.http.host", "127.0.0.1");
    Component component =
        Component.start(
            name,
            root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar"),
            runDir,
            kubeconfig,
            all,
            URI.create(healthUrl(port)));
    components.add(component);
    return component;
  }

  private static String healthUrl(int port) {
    return "http://127.0.0.1:" + port + "/q/health/ready";
  }

  private Path serviceAccountKubeconfig(KubernetesClient admin, Path runDir, String account) {
    return Kubeconfigs.write(
        runDir.resolve(account + ".kubeconfig"),
        Kubeconfigs.forServiceAccount(admin, SEB_NS, account, SEB_NS));
  }

  private static void apply(KubernetesClient admin, Path yaml) {
    try (InputStream in = Files.newInputStream(yaml)) {
      applyAll(admin, admin.load(in).items());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + yaml, e);
    }
  }

  private static void applyAll(KubernetesClient admin, List<? extends HasMetadata> items) {
    for (HasMetadata item : items) {
      admin.resource(item).forceConflicts().serverSideApply();
    }
  }

  static io.fabric8.kubernetes.api.model.apps.Deployment webDeployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace(SHOP)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage(IMAGE)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Path newRunDir() {
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

  private static void writeTls(Path dir, SelfSignedTls tls) {
    Kubeconfigs.write(dir.resolve("tls.crt"), tls.certificatePem());
    Kubeconfigs.write(dir.resolve("tls.key"), tls.privateKeyPem());
  }

  /** {@code <home>/bin}: kubectl and the {@code kubectl seb} plugin, for the user's PATH. */
  private void linkTools() {
    Path bin = home.resolve("bin");
    try {
      Files.createDirectories(bin);
      for (Map.Entry<String, Path> link :
          Map.of("kubectl", binaries.kubectl(), "kubectl-seb", root.resolve("tools/kubectl-seb"))
              .entrySet()) {
        Path at = bin.resolve(link.getKey());
        Files.deleteIfExists(at);
        Files.createSymbolicLink(at, link.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link tools into " + bin, e);
    }
  }

  private void step(String message) {
    out.println("[seb-local] " + message);
  }
}
