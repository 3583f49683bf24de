package dev.seb.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.ground.HelmChart;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * seb's chart released by the real helm into a real API server: {@code helm install}, {@code
 * upgrade}, {@code get manifest} and {@code uninstall} with the test cluster's admin kubeconfig.
 * Nothing runs pods there; helm 4 waits only for hooks unless told otherwise ({@code --wait}
 * defaults to {@code hookOnly}, and the chart has no hooks), so no command waits for readiness.
 */
public final class Release {

  private final HelmChart chart;
  private final Path kubeconfig;

  public Release(HelmChart chart, Path kubeconfig) {
    this.chart = chart;
    this.kubeconfig = kubeconfig;
  }

  public HelmChart chart() {
    return chart;
  }

  /** {@code helm install}, creating the release namespace; returns how long helm took. */
  public Duration install() {
    long start = System.nanoTime();
    run("install", HelmChart.RELEASE, chart.dir().toString(), "--create-namespace");
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** {@code helm upgrade} to {@code next} (the same chart with other values). */
  public Release upgrade(HelmChart next) {
    Release upgraded = new Release(next, kubeconfig);
    upgraded.run("upgrade", HelmChart.RELEASE, next.dir().toString());
    return upgraded;
  }

  /** {@code helm uninstall}. */
  public void uninstall() {
    run("uninstall", HelmChart.RELEASE);
  }

  /** Whether helm knows the release (for cleaning up after a failed test). */
  public boolean installed() {
    return helm("status", HelmChart.RELEASE).exit() == 0;
  }

  /** The objects of the release as helm recorded them ({@code helm get manifest}). */
  Manifest manifest() {
    return Manifest.parse(run("get", "manifest", HelmChart.RELEASE));
  }

  /**
   * What the API server stores for {@code object} (namespaced objects without a namespace are in
   * the release namespace, as helm creates them), or null.
   */
  GenericKubernetesResource stored(KubernetesClient admin, HasMetadata object) {
    var resources = admin.genericKubernetesResources(object.getApiVersion(), object.getKind());
    String name = object.getMetadata().getName();
    if (Manifest.CLUSTER_SCOPED.contains(object.getKind())) {
      return resources.withName(name).get();
    }
    String namespace = object.getMetadata().getNamespace();
    return resources
        .inNamespace(namespace == null ? chart.namespace() : namespace)
        .withName(name)
        .get();
  }

  private String run(String... args) {
    HelmChart.Result result = helm(args);
    assertThat(result.exit())
        .as("helm " + String.join(" ", args) + "\n" + result.output())
        .isZero();
    return result.output();
  }

  private HelmChart.Result helm(String... args) {
    List<String> command = new ArrayList<>(List.of(args));
    command.add("--kubeconfig");
    command.add(kubeconfig.toString());
    if (!args[0].equals("status") && !args[0].equals("get") && !args[0].equals("uninstall")) {
      command.addAll(chart.releaseArgs());
    } else {
      command.add("--namespace");
      command.add(chart.namespace());
    }
    return chart.helm(command);
  }

  /**
   * seb's cluster-scoped objects the API server still stores: webhook registrations, admission
   * policies and seb's ClusterRoles, as {@code Kind/name}.
   */
  static java.util.List<String> clusterScopedLeft(KubernetesClient admin) {
    java.util.List<String> left = new java.util.ArrayList<>();
    var registration = admin.admissionRegistration().v1();
    registration.validatingWebhookConfigurations().list().getItems().stream()
        .map(o -> "ValidatingWebhookConfiguration/" + o.getMetadata().getName())
        .forEach(left::add);
    registration.mutatingWebhookConfigurations().list().getItems().stream()
        .map(o -> "MutatingWebhookConfiguration/" + o.getMetadata().getName())
        .forEach(left::add);
    registration.validatingAdmissionPolicies().list().getItems().stream()
        .map(o -> "ValidatingAdmissionPolicy/" + o.getMetadata().getName())
        .forEach(left::add);
    admin
        .rbac()
        .clusterRoles()
        .withLabel("app.kubernetes.io/part-of", "seb")
        .list()
        .getItems()
        .stream()
        .map(o -> "ClusterRole/" + o.getMetadata().getName())
        .forEach(left::add);
    return left;
  }
}
