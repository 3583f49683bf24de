package dev.seb.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What the guided {@link Scenario} expects besides seb itself: the namespaces of the agent, the
 * auditor and the workload, the workload {@code shop/web}, the demo identities and their RBAC
 * ({@code people.yaml}), and {@code shop} protected. For a cluster where seb was installed some
 * other way than {@link LocalStack} (e.g. by {@code helm install}); applied as cluster admin, once
 * seb's webhook answers (the protection label is guarded by it).
 */
public final class ScenarioWorld {

  private ScenarioWorld() {}

  /** Applies the scenario's namespaces, workload and identities, then protects {@code shop}. */
  public static void apply(KubernetesClient admin) {
    namespacesAndWorkload(admin);
    people(admin);
    protectWorkload(admin);
  }

  /** The namespaces of the agent, the auditor and the workload, and {@code shop/web}. */
  static void namespacesAndWorkload(KubernetesClient admin) {
    for (String ns : List.of("agents", "auditors", Shop.NAMESPACE)) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    admin.resource(Shop.web()).serverSideApply();
  }

  /** The demo identities and their RBAC ({@code people.yaml}). */
  static void people(KubernetesClient admin) {
    try (InputStream people = ScenarioWorld.class.getResourceAsStream("people.yaml")) {
      for (HasMetadata item : admin.load(people).items()) {
        admin.resource(item).forceConflicts().serverSideApply();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Labels the workload's namespace protected (once seb's admission answers). */
  static void protectWorkload(KubernetesClient admin) {
    admin
        .namespaces()
        .withName(Shop.NAMESPACE)
        .edit(
            ns -> {
              ns.getMetadata().getLabels().put(AdmissionRegistration.PROTECTED_LABEL, "true");
              return ns;
            });
  }

  /** The namespace of the scenario's workload. */
  public static String workloadNamespace() {
    return Shop.NAMESPACE;
  }
}
