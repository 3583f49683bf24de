package dev.seb.e2e.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The objects of a rendered release ({@code helm template} or {@code helm get manifest}), parsed
 * into Fabric8's types (kinds it does not know, such as cert-manager's, stay generic).
 */
record Manifest(List<HasMetadata> objects) {

  /** The kinds that live outside any namespace, among those seb's chart renders. */
  static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "ClusterRole",
          "ClusterRoleBinding",
          "CustomResourceDefinition",
          "ValidatingWebhookConfiguration",
          "MutatingWebhookConfiguration",
          "ValidatingAdmissionPolicy",
          "ValidatingAdmissionPolicyBinding",
          "ClusterIssuer");

  /** The three applications, as {@code app.kubernetes.io/name} names them. */
  static final List<String> APPLICATIONS =
      List.of("seb-operator", "seb-broker", "seb-admission-webhook");

  static Manifest parse(String yaml) {
    try (KubernetesClient offline =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
            .build()) {
      return new Manifest(
          List.copyOf(
              offline
                  .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                  .items()));
    }
  }

  /** Every object of {@code kind}. */
  List<HasMetadata> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  /** The object of {@code kind} named {@code name}, if rendered. */
  Optional<HasMetadata> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
  }

  /** A generic object (e.g. cert-manager's) of {@code kind}, if rendered. */
  Optional<GenericKubernetesResource> generic(String kind, String name) {
    return find(kind, name).map(GenericKubernetesResource.class::cast);
  }

  /**
   * The workload of each application (Deployment or StatefulSet) by its {@code
   * app.kubernetes.io/name} pod label.
   */
  Map<String, Workload> workloads() {
    Map<String, Workload> workloads = new LinkedHashMap<>();
    for (HasMetadata object : objects) {
      Workload workload = null;
      if (object instanceof Deployment d) {
        workload = new Workload(d, d.getSpec().getReplicas(), d.getSpec().getTemplate());
      } else if (object instanceof StatefulSet s) {
        workload = new Workload(s, s.getSpec().getReplicas(), s.getSpec().getTemplate());
      }
      if (workload != null) {
        workloads.put(
            workload.template().getMetadata().getLabels().get("app.kubernetes.io/name"), workload);
      }
    }
    return workloads;
  }

  /** One application's Deployment or StatefulSet. */
  record Workload(HasMetadata object, Integer replicas, PodTemplateSpec template) {
    String name() {
      return object.getKind() + "/" + object.getMetadata().getName();
    }
  }
}
