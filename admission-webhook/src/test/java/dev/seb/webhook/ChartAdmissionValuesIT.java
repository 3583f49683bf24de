package dev.seb.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.SebKeys;
import dev.seb.testing.ClusterExtension;
import dev.seb.webhook.chart.AdmissionValues;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's admission values reach enforcement: its rendered ValidatingAdmissionPolicies,
 * installed on the real API server, let the break-glass group of the values through and no longer
 * the default one, let an exempt workload write its exempt resource type and nothing else, and let
 * the values' protection-admin group, not the default one, end a namespace's protection; the
 * defaults' policies do the opposite for break-glass.
 */
class ChartAdmissionValuesIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  private static final String NS = "shop";

  @TempDir static Path work;

  @BeforeAll
  static void ground() {
    KubernetesClient admin = kube.admin();
    for (String ns : List.of("guard", "seb-system", NS, "spare")) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    admin
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata().build())
        .create();
    for (String sa : List.of("elector", "web")) {
      admin
          .serviceAccounts()
          .inNamespace(NS)
          .resource(
              new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(sa)
                  .endMetadata()
                  .build())
          .create();
    }
    admin
        .load(
            new java.io.ByteArrayInputStream(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: seb-values-everything}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                subjects:
                - {kind: Group, name: "ops:break-glass"}
                - {kind: Group, name: "seb:break-glass"}
                - {kind: Group, name: "ops:protection"}
                - {kind: Group, name: "seb:protection-admins"}
                - {kind: ServiceAccount, name: elector, namespace: shop}
                - {kind: ServiceAccount, name: web, namespace: shop}
                """
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .serverSideApply();
    for (String ns : List.of(NS, "spare")) {
      admin
          .namespaces()
          .withName(ns)
          .edit(
              n ->
                  new NamespaceBuilder(n)
                      .editMetadata()
                      .addToLabels(SebKeys.PROTECTED, "true")
                      .endMetadata()
                      .build());
    }
  }

  @Test
  void theValues_decideWhoWritesInAProtectedNamespace() throws Exception {
    KubernetesClient admin = kube.admin();
    AdmissionValues values = AdmissionValues.of(work, "guard", ChartAdmissionValuesTest.CUSTOM);
    // the registrations' match conditions compile for these values too (a dry run: no webhook runs)
    values.objects().stream()
        .filter(o -> o.getKind().endsWith("WebhookConfiguration"))
        .forEach(r -> assertThat(admin.resource(r).dryRun().create()).isNotNull());
    List<HasMetadata> custom = policies(values);
    custom.forEach(p -> admin.resource(p).create());
    try (KubernetesClient custodian = impersonating("carol", "ops:break-glass");
        KubernetesClient defaultBreakGlass = impersonating("dave", "seb:break-glass");
        KubernetesClient elector = kube.cluster().newTokenClient(token("elector"));
        KubernetesClient web = kube.cluster().newTokenClient(token("web"))) {
      awaitDenied(defaultBreakGlass);

      assertThat(annotate(custodian)).as("the values' break-glass group passes").isNotNull();
      assertDenied(() -> annotate(defaultBreakGlass), "the default break-glass group no longer");

      Lease lease =
          elector
              .leases()
              .inNamespace(NS)
              .resource(new LeaseBuilder().withNewMetadata().withName("lead").endMetadata().build())
              .create();
      assertThat(lease.getMetadata().getUid())
          .as("the exempt workload writes its lease")
          .isNotNull();
      assertDenied(() -> annotate(elector), "the exempt workload writes nothing else");
      try (KubernetesClient protectionAdmin = impersonating("pat", "ops:protection");
          KubernetesClient defaultProtectionAdmin = impersonating("sam", "seb:protection-admins")) {
        assertThatThrownBy(() -> unprotect(defaultProtectionAdmin))
            .as("the default protection-admin group no longer ends protection")
            .hasMessageContaining("seb-protection-label");
        assertThat(unprotect(protectionAdmin).getMetadata().getLabels())
            .as("the values' protection-admin group does")
            .doesNotContainKey(SebKeys.PROTECTED);
      }
      assertDenied(
          () ->
              web.leases()
                  .inNamespace(NS)
                  .resource(
                      new LeaseBuilder().withNewMetadata().withName("other").endMetadata().build())
                  .create(),
          "another workload is not exempt");

      custom.forEach(p -> admin.resource(p).delete());
      List<HasMetadata> defaults = policies(AdmissionValues.of(work, "seb-system", ""));
      defaults.forEach(p -> admin.resource(p).create());
      awaitDenied(custodian);
      assertThat(annotate(defaultBreakGlass)).as("under the defaults, seb:break-glass").isNotNull();
      assertDenied(() -> annotate(custodian), "and not the values' group");
      assertDenied(() -> annotate(elector), "and no workload is exempt");
      defaults.forEach(p -> admin.resource(p).delete());
    }
  }

  private static io.fabric8.kubernetes.api.model.Namespace unprotect(KubernetesClient client) {
    return client
        .namespaces()
        .withName("spare")
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .removeFromLabels(SebKeys.PROTECTED)
                    .endMetadata()
                    .build());
  }

  private static List<HasMetadata> policies(AdmissionValues chart) {
    return chart.objects().stream()
        .filter(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"))
        .toList();
  }

  private static ConfigMap annotate(KubernetesClient client) {
    return client
        .configMaps()
        .inNamespace(NS)
        .withName("settings")
        .edit(
            c ->
                new ConfigMapBuilder(c)
                    .editMetadata()
                    .addToAnnotations("touched", String.valueOf(System.nanoTime()))
                    .endMetadata()
                    .build());
  }

  private static void awaitDenied(KubernetesClient client) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertDenied(() -> annotate(client), "the policies are in force"));
  }

  private static void assertDenied(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String as) {
    assertThatThrownBy(call)
        .as(as)
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("ValidatingAdmissionPolicy")
        .hasMessageContaining("seb-broker-only");
  }

  private static KubernetesClient impersonating(String user, String... groups) {
    Config config = kube.cluster().adminConfig();
    config.setImpersonateUsername(user);
    config.setImpersonateGroups(groups);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static String token(String name) {
    return kube.admin()
        .serviceAccounts()
        .inNamespace(NS)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }
}
