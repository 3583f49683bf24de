package dev.seb.local;

import dev.seb.ground.Crds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
    for (String ns : List.of(SEB_NS, "agents", "auditors", Shop.NAMESPACE)) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    admin.resource(Shop.web()).serverSideApply();
  }

  /** The chart's RBAC for the three components and the demo identities ({@code people.yaml}). */
  void rbacAndPeople() {
    for (String file :
        List.of("operator-rbac.yaml", "broker-rbac.yaml", "admission-webhook-rbac.yaml")) {
      apply(root.resolve("charts/seb/templates").resolve(file));
    }
    try (InputStream people = ClusterObjects.class.getResourceAsStream("people.yaml")) {
      applyAll(admin.load(people).items());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The webhook registrations for a {@code url:} webhook trusted through {@code caBundle}, the
   * chart's ValidatingAdmissionPolicies, and the protection label on the workload's namespace.
   */
  void admission(String webhookUrl, String caBundle) {
    applyAll(AdmissionRegistration.forUrl(webhookUrl, caBundle));
    apply(root.resolve("charts/seb/templates/validating-admission-policy.yaml"));
    apply(root.resolve("charts/seb/templates/validating-admission-policy-seb-kinds.yaml"));
    // the namespace is guarded once the workload exists
    admin
        .namespaces()
        .withName(Shop.NAMESPACE)
        .edit(
            ns -> {
              ns.getMetadata().getLabels().put(AdmissionRegistration.PROTECTED_LABEL, "true");
              return ns;
            });
  }

  private void apply(Path yaml) {
    try (InputStream in = Files.newInputStream(yaml)) {
      applyAll(admin.load(in).items());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + yaml, e);
    }
  }

  private void applyAll(List<? extends HasMetadata> items) {
    for (HasMetadata item : items) {
      admin.resource(item).forceConflicts().serverSideApply();
    }
  }
}
