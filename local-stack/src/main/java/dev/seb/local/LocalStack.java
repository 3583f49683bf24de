package dev.seb.local;

import dev.seb.ground.ApiServer;
import dev.seb.ground.KubeBinaries;
import dev.seb.ground.LoopbackPorts;
import dev.seb.ground.SelfSignedTls;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * seb on this machine: the local kube-apiserver + etcd, seb's CRDs, RBAC, admission webhook
 * registrations and ValidatingAdmissionPolicy, and the operator, broker and webhook as local
 * processes running under their own ServiceAccounts, plus kubeconfigs for an admin, an agent and an
 * auditor. Closing it stops everything it started.
 */
public final class LocalStack implements AutoCloseable {

  private final Path root;
  private final LocalHome home;
  private final PrintStream out;
  private final KubeBinaries binaries;
  private ApiServer cluster;
  private Components components;
  private Endpoints endpoints;

  private LocalStack(Path root, Path home, PrintStream out) {
    this.root = root;
    this.home = new LocalHome(home);
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
    Path runDir = home.newRunDir();
    step("run directory (component logs): " + runDir);
    step("starting kube-apiserver " + binaries.version() + " and etcd");
    cluster = ApiServer.start(binaries);
    components = new Components(root, runDir);
    Path adminKubeconfig = Kubeconfigs.write(home.kubeconfig("admin"), cluster.adminKubeconfig());
    try (KubernetesClient admin = cluster.newAdminClient()) {
      ClusterObjects objects = new ClusterObjects(admin, root);
      step("applying crds/");
      objects.crdsAndWorkload();
      step("applying seb's RBAC (charts/seb/templates) and the demo identities");
      objects.rbacAndPeople();

      SelfSignedTls tls = SelfSignedTls.generate("seb-local-webhook");
      int webhookPort = LoopbackPorts.free();
      int webhookHealthPort = LoopbackPorts.free();
      // the webhook records break-glass through the broker, which starts later on this port
      int brokerPort = LoopbackPorts.free();
      String brokerUrl = "http://127.0.0.1:" + brokerPort;
      step("starting the admission webhook on https://127.0.0.1:" + webhookPort);
      components.startWebhook(
          Kubeconfigs.forSebComponent(admin, runDir, "seb-admission-webhook"),
          tls,
          webhookPort,
          webhookHealthPort,
          brokerUrl);
      step("registering the admission webhooks (url: with their CA) and the admission policy");
      objects.admission("https://127.0.0.1:" + webhookPort + "/", tls.caBundle());

      int operatorPort = LoopbackPorts.free();
      step("starting the operator as seb-system/seb-operator");
      components.startOperator(
          Kubeconfigs.forSebComponent(admin, runDir, "seb-operator"), operatorPort);
      step("starting the broker as seb-system/seb-broker");
      components.startBroker(Kubeconfigs.forSebComponent(admin, runDir, "seb-broker"), brokerPort);
      components.awaitReady();

      endpoints =
          new Endpoints(
              runDir,
              adminKubeconfig,
              Kubeconfigs.forScenarioAgent(admin, home.kubeconfig("agent")),
              Kubeconfigs.forScenarioAuditor(admin, home.kubeconfig("auditor")),
              binaries.kubectl(),
              brokerUrl,
              components.health(),
              components.pids());
      home.writeState(endpoints);
      home.linkTools(binaries.kubectl(), root.resolve("tools/kubectl-seb"));
    }
  }

  /** Stops the components, then the API server and etcd, and removes the state file. */
  @Override
  public void close() {
    if (components != null) {
      components.close();
    }
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
    if (endpoints != null) {
      home.removeState(out);
    }
  }

  /**
   * Fails with the component's log tail if a component stopped since it started, unless the stack
   * is being stopped (Ctrl-C reaches the components as well as the launcher).
   */
  public void checkAlive() {
    if (components != null) {
      components.checkAlive();
    }
  }

  private void step(String message) {
    out.println("[seb-local] " + message);
  }
}
