package dev.seb.local;

import dev.seb.ground.Crds;
import dev.seb.ground.HelmChart;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * What the local stack applies to its API server as cluster admin: seb's CRDs, the namespaces and
 * the workload, the chart's RBAC and the demo identities, then the admission registrations and
 * policies. Server-side apply throughout, so applying again is harmless.
 */
final class ClusterObjects {

  /** The namespace of seb's components and their ServiceAccounts. */
  static final String SEB_NS = "seb-system";

  private final KubernetesClient admin;
  private final Path root;

  ClusterObjects(KubernetesClient admin, Path root) {
    this.admin = admin;
    this.root = root;
  }

  /** {@code crds/}, the namespaces and {@code shop/web}. */
  void crdsAndWorkload() {
    Crds.install(admin, root.resolve("crds"));
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(SEB_NS).endMetadata().build())
        .serverSideApply();
    ScenarioWorld.namespacesAndWorkload(admin);
  }

  /** The chart's RBAC for the three components and the demo identities ({@code people.yaml}). */
  void rbacAndPeople() {
    applyChart(
        chart(),
        "templates/operator-rbac.yaml",
        "templates/broker-rbac.yaml",
        "templates/admission-webhook-rbac.yaml");
    ScenarioWorld.people(admin);
  }

  /**
   * The chart's webhook registrations, rendered for a webhook served at {@code webhookUrl} (ending
   * in "/") and trusted through {@code caBundle}, its ValidatingAdmissionPolicies, and the
   * protection label on the workload's namespace.
   */
  void admission(String webhookUrl, String caBundle) {
    applyChart(
        chart().with("webhook.url", webhookUrl).with("webhook.caBundle", caBundle),
        "templates/admission-webhook-registration.yaml",
        "templates/validating-admission-policy.yaml",
        "templates/validating-admission-policy-seb-kinds.yaml");
    // the namespace is guarded once the workload exists
    ScenarioWorld.protectWorkload(admin);
  }

  /** seb's chart as this stack installs it: release namespace seb-system, no NetworkPolicy. */
  private HelmChart chart() {
    return HelmChart.of(root).inNamespace(SEB_NS).with("networkPolicy.enabled", "false");
  }

  /** The given templates of {@code chart} as {@code helm template} renders them. */
  private void applyChart(HelmChart chart, String... templates) {
    String rendered = chart.render(templates);
    applyAll(
        admin
            .load(new java.io.ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8)))
            .items());
  }

  private void applyAll(List<? extends HasMetadata> items) {
    for (HasMetadata item : items) {
      admin.resource(item).forceConflicts().serverSideApply();
    }
  }
}
