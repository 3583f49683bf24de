package dev.seb.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.e2e.chart.Release;
import dev.seb.ground.HelmChart;
import dev.seb.ground.NodeCluster;
import dev.seb.local.Endpoints;
import dev.seb.local.Kubeconfigs;
import dev.seb.local.Scenario;
import dev.seb.local.ScenarioWorld;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.awaitility.Awaitility;

/**
 * seb installed by {@code helm install} from {@code charts/seb/} on a {@link NodeCluster}, running
 * as pods from the images the build made: values {@code chart-values/node.yaml}, the node's address
 * as the API server's for the webhook's NetworkPolicy, and whatever a test adds.
 *
 * <p>One thing differs from a cluster with DNS: the node runs no cluster DNS, so the webhook's
 * notices go to the broker Service's ClusterIP ({@code notices.brokerUrl}, set by a {@code helm
 * upgrade} once the Service has its address) instead of {@code seb-broker.<ns>.svc}.
 */
final class DeployedSeb {

  static final String NAMESPACE = "seb-system";
  static final Duration READY = Duration.ofMinutes(5);

  private final NodeCluster node;
  private final KubernetesClient admin;
  private final Map<String, String> installed;
  private Release release;

  private DeployedSeb(
      NodeCluster node, KubernetesClient admin, Map<String, String> installed, Release release) {
    this.node = node;
    this.admin = admin;
    this.installed = Map.copyOf(installed);
    this.release = release;
  }

  /** The chart with the node's values and {@code values} on top. */
  static HelmChart chart(NodeCluster node, Map<String, String> values) {
    HelmChart chart =
        TestGround.chart()
            .inNamespace(NAMESPACE)
            .withValues(
                TestGround.repoRoot().resolve("e2e/src/test/resources/chart-values/node.yaml"))
            .with("networkPolicy.apiServerCIDRs[0]", node.nodeIp() + "/32");
    for (var value : values.entrySet()) {
      chart = chart.with(value.getKey(), value.getValue());
    }
    return chart;
  }

  /** Installs seb, points the notices at the broker Service and waits for every pod to be Ready. */
  static DeployedSeb install(NodeCluster node, KubernetesClient admin, Map<String, String> values) {
    Release release = new Release(chart(node, values), node.adminKubeconfigFile());
    release.install();
    DeployedSeb seb = new DeployedSeb(node, admin, values, release);
    seb.upgrade(Map.of());
    return seb;
  }

  /**
   * {@code helm upgrade} to the node's values, the values installed with, {@code values} and the
   * notices URL; waits until every workload rolled out and is Ready.
   */
  void upgrade(Map<String, String> values) {
    Map<String, String> all = new java.util.LinkedHashMap<>(installed);
    all.putAll(values);
    all.put("notices.brokerUrl", brokerUrl());
    release = release.upgrade(chart(node, all));
    awaitRolledOut();
  }

  /**
   * Waits until every Deployment and StatefulSet of seb has rolled out and all its pods are Ready.
   */
  void awaitRolledOut() {
    Awaitility.await("seb's workloads rolled out and Ready")
        .atMost(READY)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(notRolledOut()).isEmpty());
  }

  /** What has not rolled out yet, one line each (empty when all did). */
  List<String> notRolledOut() {
    List<String> waiting = new ArrayList<>();
    for (Deployment d : admin.apps().deployments().inNamespace(NAMESPACE).list().getItems()) {
      var s = d.getStatus();
      int want = d.getSpec().getReplicas();
      if (s == null
          || !Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
          || !Objects.equals(s.getUpdatedReplicas(), want)
          || !Objects.equals(s.getReadyReplicas(), want)
          || !Objects.equals(s.getReplicas(), want)) {
        waiting.add("Deployment/" + d.getMetadata().getName());
      }
    }
    for (StatefulSet t : admin.apps().statefulSets().inNamespace(NAMESPACE).list().getItems()) {
      var s = t.getStatus();
      int want = t.getSpec().getReplicas();
      if (s == null
          || !Objects.equals(s.getObservedGeneration(), t.getMetadata().getGeneration())
          || !Objects.equals(s.getUpdatedReplicas(), want)
          || !Objects.equals(s.getReadyReplicas(), want)
          || !Objects.equals(s.getCurrentRevision(), s.getUpdateRevision())) {
        waiting.add("StatefulSet/" + t.getMetadata().getName());
      }
    }
    return waiting;
  }

  /** The broker Service's address, reached from this machine through kube-proxy. */
  String brokerUrl() {
    return "http://"
        + admin
            .services()
            .inNamespace(NAMESPACE)
            .withName("seb-broker")
            .get()
            .getSpec()
            .getClusterIP();
  }

  /**
   * seb's pods of one component ({@code operator}, {@code broker}, {@code admission-webhook}), but
   * those being deleted.
   */
  List<Pod> pods(String component) {
    return admin
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("app.kubernetes.io/name", "seb-" + component)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /** The pods of the scenario's workload {@code shop/web} that run and are Ready. */
  static long readyPods(KubernetesClient admin, String namespace, String app) {
    return admin.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .filter(
            p ->
                p.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .count();
  }

  /**
   * The scenario's world on the node (namespaces, {@code shop/web} running the pause image under
   * the scenario's image names, people, {@code shop} protected) and the endpoints the scenario and
   * {@code seb records verify} use: kubeconfigs of the admin, the agent and the auditor in {@code
   * runDir}, and the broker Service.
   */
  Endpoints world(Path runDir) {
    node.tagImage("seb.local/pause:3.10", "registry.example/shop/web:1.4.2");
    node.tagImage("seb.local/pause:3.10", "registry.example/shop/web:1.4.3-hotfix");
    ScenarioWorld.apply(admin);
    Awaitility.await("shop/web's two pods Ready")
        .atMost(Duration.ofMinutes(2))
        .until(() -> readyPods(admin, "shop", "web") == 2);
    try {
      // fresh: the scenario applies every file of its directory, an earlier run's proposals too
      if (Files.exists(runDir)) {
        try (var paths = Files.walk(runDir)) {
          for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Endpoints(
        runDir,
        node.adminKubeconfigFile(),
        Kubeconfigs.forScenarioAgent(admin, runDir.resolve("agent.kubeconfig")),
        Kubeconfigs.forScenarioAuditor(admin, runDir.resolve("auditor.kubeconfig")),
        TestGround.kubeBinaries().kubectl(),
        brokerUrl(),
        Map.of(),
        Map.of());
  }

  /**
   * {@code kubectl set env statefulset/seb-broker KEY=VALUE} ({@code KEY-} when {@code value} is
   * null), then waits for the rollout: outside the chart's values, as an operator of the cluster
   * would (a later {@code helm upgrade} puts the chart's environment back).
   */
  void setBrokerEnv(String key, String value) {
    kubectl(
        "set",
        "env",
        "statefulset/seb-broker",
        "-n",
        NAMESPACE,
        value == null ? key + "-" : key + "=" + value);
    awaitRolledOut();
  }

  /** {@code kubectl delete pod --force --grace-period=0}: the pod object goes at once. */
  void forceDelete(Pod pod) {
    kubectl(
        "delete",
        "pod",
        pod.getMetadata().getName(),
        "-n",
        NAMESPACE,
        "--force",
        "--grace-period=0");
  }

  /** The broker pod whose log says its failpoint holds {@code proposal} ({@code ns/name}). */
  Pod awaitFailpoint(String point, String proposal) {
    String line = "failpoint " + point + " holds " + proposal + " ";
    return Awaitility.await("a broker held " + proposal + " at " + point)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                pods("broker").stream()
                    .filter(p -> "Running".equals(p.getStatus().getPhase()))
                    .filter(p -> log(p).contains(line))
                    .findFirst()
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  private String log(Pod pod) {
    try {
      return admin.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).getLog();
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * Waits until the kill of {@code pod} landed: its container restarted in the same pod (SIGKILL),
   * or the pod was replaced by one of the same name (force delete).
   */
  void awaitKilled(Pod pod, boolean sameObject) {
    String name = pod.getMetadata().getName();
    int restarts = pod.getStatus().getContainerStatuses().get(0).getRestartCount();
    Awaitility.await(name + " killed")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              Pod now = admin.pods().inNamespace(NAMESPACE).withName(name).get();
              if (now == null) {
                return false;
              }
              if (!sameObject) {
                return !now.getMetadata().getUid().equals(pod.getMetadata().getUid());
              }
              return now.getMetadata().getUid().equals(pod.getMetadata().getUid())
                  && now.getStatus().getContainerStatuses().get(0).getRestartCount() > restarts;
            });
  }

  /** What is left of the execution identities minted for the proposal {@code uid}. */
  List<String> identitiesOf(String uid) {
    List<String> left = new ArrayList<>();
    String label = dev.seb.contracts.SebKeys.PROPOSAL_UID;
    admin
        .serviceAccounts()
        .inAnyNamespace()
        .withLabel(label, uid)
        .list()
        .getItems()
        .forEach(o -> left.add("ServiceAccount/" + o.getMetadata().getName()));
    admin
        .rbac()
        .roles()
        .inAnyNamespace()
        .withLabel(label, uid)
        .list()
        .getItems()
        .forEach(o -> left.add("Role/" + o.getMetadata().getName()));
    admin
        .rbac()
        .roleBindings()
        .inAnyNamespace()
        .withLabel(label, uid)
        .list()
        .getItems()
        .forEach(o -> left.add("RoleBinding/" + o.getMetadata().getName()));
    return left;
  }

  /** The tag of the images seb's pods run now. */
  String imageTag() {
    String image = pods("broker").get(0).getSpec().getContainers().get(0).getImage();
    return image.substring(image.lastIndexOf(':') + 1);
  }

  /** The CRI id of the pod's (first) container, as containerd knows it. */
  static String containerId(Pod pod) {
    String id = pod.getStatus().getContainerStatuses().get(0).getContainerID();
    return id.substring(id.indexOf("://") + 3);
  }

  private void kubectl(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                TestGround.kubeBinaries().kubectl().toString(),
                "--kubeconfig",
                node.adminKubeconfigFile().toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out =
          new String(
              process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as(String.join(" ", args) + "\n" + out).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@link #world} and the scenario's first step ({@code Scenario.authorize}): the agent may
   * propose scales of {@code shop/web} between 2 and 6 under {@code shop/planner}.
   */
  Endpoints authorizedWorld(Path runDir) {
    Endpoints endpoints = world(runDir);
    Scenario.authorize(
        endpoints,
        TestGround.repoRoot(),
        new java.io.PrintStream(System.out, true, java.nio.charset.StandardCharsets.UTF_8));
    return endpoints;
  }

  Release release() {
    return release;
  }

  static Path runDir(String name) {
    return TestGround.repoRoot().resolve("e2e/target/node-" + name);
  }

  NodeCluster node() {
    return node;
  }
}
