package dev.seb.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.e2e.GuidedScenario;
import dev.seb.ground.LoopbackPorts;
import dev.seb.local.Component;
import dev.seb.local.Endpoints;
import dev.seb.local.Kubeconfigs;
import dev.seb.local.Scenario;
import dev.seb.local.ScenarioWorld;
import dev.seb.testing.ClusterExtension;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The installed release, run (for a release namespace a subclass names, each subclass with its own
 * API server): {@code helm install} of seb's chart, then the operator, the broker and the webhook
 * as local processes with exactly the configuration of the release's pods (their environment, their
 * mounted Secrets and their ServiceAccounts' tokens, read from {@code helm get manifest} and the
 * API server), and the guided scenario passes with them. This proves the chart's RBAC and
 * configuration complete: a permission the chart does not grant fails the scenario.
 *
 * <p>The API server calls the webhook through the release's own registrations and Service: it runs
 * with {@code --enable-aggregator-routing=true}, so a Service is called at its endpoints, and an
 * EndpointSlice (and Endpoints) for the Service {@code seb-admission-webhook} points at this
 * machine's non-loopback address, where the webhook process serves the chart's certificate.
 *
 * <p>Only what a single host forces is changed, as system properties: the listen ports ({@code
 * quarkus.http.ssl-port} of the webhook, {@code quarkus.http.port} of all three, as they would
 * clash), and the webhook's {@code seb.notices.url}, as the broker's Service name does not resolve
 * here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReleaseScenario {

  /** The API server of a subclass: with {@link #API_SERVER_FLAGS}. */
  static ClusterExtension cluster() {
    return ClusterExtension.withApiServerFlags(API_SERVER_FLAGS);
  }

  static final String API_SERVER_FLAGS = "--enable-aggregator-routing=true";

  private static final Path ROOT = TestGround.repoRoot();
  private static final Duration READY = Duration.ofSeconds(120);

  private final String namespace;
  private final ClusterExtension kube;
  private Path runDir;
  private Release release;
  private final List<Component> components = new ArrayList<>();
  private Endpoints endpoints;

  /** The release in {@code namespace}, on {@code kube} (the subclass's registered extension). */
  ReleaseScenario(String namespace, ClusterExtension kube) {
    this.namespace = namespace;
    this.kube = kube;
  }

  @BeforeAll
  void installAndRun() throws IOException {
    runDir = ROOT.resolve("e2e/target/chart-scenario-" + namespace);
    deleteRecursively(runDir);
    Files.createDirectories(runDir);
    Path adminKubeconfig =
        Kubeconfigs.write(runDir.resolve("admin.kubeconfig"), kube.cluster().adminKubeconfig());
    KubernetesClient admin = kube.admin();
    release = new Release(ChartValuesIT.chart("defaults.yaml", namespace), adminKubeconfig);
    release.install();
    Manifest manifest = release.manifest();
    Map<String, Manifest.Workload> workloads = manifest.workloads();

    int webhookPort = LoopbackPorts.free();
    int brokerPort = LoopbackPorts.free();
    String address = hostAddress();
    routeWebhookService(admin, manifest, address, webhookPort);

    Secret tls = admin.secrets().inNamespace(namespace).withName(ChartValuesIT.TLS_SECRET).get();
    HttpClient trustingTheChartsCa =
        CaTrust.client(new String(Base64.getDecoder().decode(tls.getData().get("ca.crt"))));
    Map<String, String> health = new LinkedHashMap<>();

    start(
        admin,
        workloads.get("seb-admission-webhook"),
        "seb-admission-webhook-0",
        Map.of(
            "quarkus.http.ssl-port", String.valueOf(webhookPort),
            "quarkus.http.port", String.valueOf(LoopbackPorts.free()),
            "seb.notices.url", "http://127.0.0.1:" + brokerPort),
        URI.create("https://" + address + ":" + webhookPort + "/q/health/ready"),
        trustingTheChartsCa,
        health);
    // the webhook answers the API server now: the scenario's namespaces, workload and people
    ScenarioWorld.apply(admin);

    int operatorPort = LoopbackPorts.free();
    start(
        admin,
        workloads.get("seb-operator"),
        "seb-operator-0",
        Map.of("quarkus.http.port", String.valueOf(operatorPort)),
        URI.create("http://127.0.0.1:" + operatorPort + "/q/health/ready"),
        HttpClient.newHttpClient(),
        health);
    start(
        admin,
        workloads.get("seb-broker"),
        "seb-broker-0",
        Map.of("quarkus.http.port", String.valueOf(brokerPort)),
        URI.create("http://127.0.0.1:" + brokerPort + "/q/health/ready"),
        HttpClient.newHttpClient(),
        health);
    for (Component component : components) {
      component.awaitReady(READY);
    }
    Map<String, Long> pids = new LinkedHashMap<>();
    components.forEach(c -> pids.put(c.name(), c.pid()));
    endpoints =
        new Endpoints(
            runDir,
            adminKubeconfig,
            Kubeconfigs.forScenarioAgent(admin, runDir.resolve("agent.kubeconfig")),
            Kubeconfigs.forScenarioAuditor(admin, runDir.resolve("auditor.kubeconfig")),
            TestGround.kubeBinaries().kubectl(),
            "http://127.0.0.1:" + brokerPort,
            health,
            pids);
  }

  @AfterAll
  void stop() {
    for (int i = components.size() - 1; i >= 0; i--) {
      components.get(i).close();
    }
    components.clear();
  }

  @Test
  @Order(1)
  void theGuidedScenarioPasses_withTheReleasesConfigurationAndIdentities() {
    Scenario.Outcome outcome =
        Scenario.run(
            endpoints, ROOT, new java.io.PrintStream(System.out, true, StandardCharsets.UTF_8));

    GuidedScenario.assertPassed(outcome);
    // the API server called the webhook through the release's registrations and Service
    assertThat(storedClientConfigs(kube.admin()))
        .isNotEmpty()
        .allSatisfy(
            config -> {
              assertThat(config.getUrl()).isNull();
              assertThat(config.getService().getName()).isEqualTo("seb-admission-webhook");
              assertThat(config.getService().getNamespace()).isEqualTo(namespace);
            });
    // the broker's chain is named after its pod, as the StatefulSet's fieldRef sets it
    assertThat(
            kube.admin().secrets().inNamespace(namespace).withName("seb-broker-signing-key").get())
        .as("the signing key the first broker created")
        .isNotNull();
    for (Component component : components) {
      assertThat(component.alive()).as(component.name() + " still runs").isTrue();
    }
  }

  /**
   * After the scenario ran, {@code helm uninstall} removes everything of the release (both
   * admission layers, the ServiceAccounts, RBAC, Services and the chart's TLS Secret); what stays
   * in the release namespace is what seb's applications wrote while running: the broker's signing
   * key, its epoch marks and record-chain Lease, and the operator's leader-election Lease.
   */
  @Test
  @Order(2)
  void uninstall_leavesOnlyWhatSebsApplicationsWroteWhileRunning() {
    stop();
    release.uninstall();
    KubernetesClient admin = kube.admin();
    assertThat(Release.clusterScopedLeft(admin)).isEmpty();
    List<String> left = new ArrayList<>();
    for (var object : admin.serviceAccounts().inNamespace(namespace).list().getItems()) {
      left.add("ServiceAccount/" + object.getMetadata().getName());
    }
    for (var object : admin.secrets().inNamespace(namespace).list().getItems()) {
      left.add("Secret/" + object.getMetadata().getName());
    }
    for (var object : admin.configMaps().inNamespace(namespace).list().getItems()) {
      left.add("ConfigMap/" + object.getMetadata().getName());
    }
    for (var object : admin.rbac().roles().inNamespace(namespace).list().getItems()) {
      left.add("Role/" + object.getMetadata().getName());
    }
    for (var object : admin.rbac().roleBindings().inNamespace(namespace).list().getItems()) {
      left.add("RoleBinding/" + object.getMetadata().getName());
    }
    for (var object : admin.services().inNamespace(namespace).list().getItems()) {
      left.add("Service/" + object.getMetadata().getName());
    }
    for (var object : admin.apps().deployments().inNamespace(namespace).list().getItems()) {
      left.add("Deployment/" + object.getMetadata().getName());
    }
    for (var object : admin.apps().statefulSets().inNamespace(namespace).list().getItems()) {
      left.add("StatefulSet/" + object.getMetadata().getName());
    }
    for (var object : admin.leases().inNamespace(namespace).list().getItems()) {
      left.add("Lease/" + object.getMetadata().getName());
    }
    assertThat(left)
        .containsExactlyInAnyOrder(
            "Secret/seb-broker-signing-key",
            "ConfigMap/seb-epoch-marks",
            "Lease/seb-chain-seb-broker-0",
            "Lease/seb-operator");
  }

  private static List<WebhookClientConfig> storedClientConfigs(KubernetesClient admin) {
    List<WebhookClientConfig> configs = new ArrayList<>();
    var registrations = admin.admissionRegistration().v1();
    registrations
        .validatingWebhookConfigurations()
        .list()
        .getItems()
        .forEach(r -> r.getWebhooks().forEach(w -> configs.add(w.getClientConfig())));
    registrations
        .mutatingWebhookConfigurations()
        .list()
        .getItems()
        .forEach(r -> r.getWebhooks().forEach(w -> configs.add(w.getClientConfig())));
    return configs;
  }

  private void start(
      KubernetesClient admin,
      Manifest.Workload workload,
      String podName,
      Map<String, String> overrides,
      URI ready,
      HttpClient probe,
      Map<String, String> health) {
    String name = workload.template().getSpec().getContainers().get(0).getName();
    Path dir = runDir.resolve(name);
    PodRun pod = PodRun.of(admin, workload, podName, namespace, dir);
    components.add(
        Component.start(
            name,
            ROOT.resolve(name).resolve("target/quarkus-app/quarkus-run.jar"),
            runDir,
            pod.kubeconfig(),
            overrides,
            pod.environment(),
            ready,
            probe));
    health.put(name, ready.toString());
  }

  /**
   * Points the release's webhook Service at {@code address:port}: what the endpoint controllers
   * would write for a ready webhook pod, which the API server resolves with aggregator routing.
   */
  private void routeWebhookService(
      KubernetesClient admin, Manifest manifest, String address, int port) {
    Service service = (Service) manifest.find("Service", "seb-admission-webhook").orElseThrow();
    String portName = service.getSpec().getPorts().get(0).getName();
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(443);
    admin
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName("seb-admission-webhook-local")
                .withNamespace(namespace)
                .addToLabels("kubernetes.io/service-name", "seb-admission-webhook")
                .addToLabels("endpointslice.kubernetes.io/managed-by", "seb.dev-chart-scenario")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses(address)
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .endEndpoint()
                .addNewPort()
                .withName(portName)
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .build())
        .create();
    admin
        .resource(
            new EndpointsBuilder()
                .withNewMetadata()
                .withName("seb-admission-webhook")
                .withNamespace(namespace)
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp(address)
                .endAddress()
                .addNewPort()
                .withName(portName)
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .endSubset()
                .build())
        .create();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** This machine's first non-loopback IPv4 address (the API server refuses loopback endpoints). */
  private static String hostAddress() {
    try {
      for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : nic.inetAddresses().toList()) {
          if (address instanceof Inet4Address
              && !address.isLoopbackAddress()
              && !address.isLinkLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(
        "this machine has no non-loopback IPv4 address for the webhook");
  }
}
