package dev.seb.e2e.ground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.seb.testing.ClusterExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves the Kubernetes half of the test ground: a real API server enforces RBAC with {@code
 * resourceNames}, issues TokenRequest tokens, and stops honouring a token once its ServiceAccount
 * is gone. These are the mechanisms seb's per-execution identities rest on.
 */
class KubernetesGroundIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  private static final String MERGE_PATCH = "{\"data\":{\"replicas\":\"3\"}}";

  @Test
  void tokenRequestToken_patchesOnlyItsConfigMap_andIsRejectedOnceItsAccountIsDeleted() {
    KubernetesClient admin = kube.admin();
    String ns = "rbac-ground";
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    for (String name : new String[] {"allowed", "other"}) {
      admin.configMaps().inNamespace(ns).resource(configMap(ns, name)).create();
    }
    admin
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("seb-exec-ground")
                .endMetadata()
                .build())
        .create();
    admin
        .rbac()
        .roles()
        .inNamespace(ns)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("seb-exec-ground")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("configmaps")
                .withResourceNames("allowed")
                .withVerbs("get", "patch")
                .endRule()
                .build())
        .create();
    admin
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("seb-exec-ground")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "seb-exec-ground")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("seb-exec-ground")
                .withNamespace(ns)
                .endSubject()
                .build())
        .create();

    String token =
        admin
            .serviceAccounts()
            .inNamespace(ns)
            .withName("seb-exec-ground")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    assertThat(token).isNotBlank();

    try (KubernetesClient exec = kube.cluster().newTokenClient(token)) {
      // 1. the one ConfigMap the Role names can be patched
      exec.configMaps()
          .inNamespace(ns)
          .withName("allowed")
          .patch(PatchContext.of(PatchType.JSON_MERGE), MERGE_PATCH);
      assertThat(admin.configMaps().inNamespace(ns).withName("allowed").get().getData())
          .containsEntry("replicas", "3");

      // 2. any other ConfigMap is forbidden, and the API server left it unchanged
      assertThatThrownBy(
              () ->
                  exec.configMaps()
                      .inNamespace(ns)
                      .withName("other")
                      .patch(PatchContext.of(PatchType.JSON_MERGE), MERGE_PATCH))
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThat(admin.configMaps().inNamespace(ns).withName("other").get().getData())
          .containsEntry("replicas", "1");

      // 3. deleting the ServiceAccount invalidates the token: 401, not 403
      admin.serviceAccounts().inNamespace(ns).withName("seb-exec-ground").delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(
                          () -> exec.configMaps().inNamespace(ns).withName("allowed").get())
                      .isInstanceOfSatisfying(
                          KubernetesClientException.class,
                          e -> assertThat(e.getCode()).isEqualTo(401)));
    }
  }

  @Test
  void adminClient_reachesARealApiServer() {
    // a mocked client would accept any resourceVersion; the real server refuses a stale one
    KubernetesClient admin = kube.admin();
    ConfigMap created =
        admin.configMaps().inNamespace("default").resource(configMap("default", "rv")).create();
    admin
        .configMaps()
        .inNamespace("default")
        .withName("rv")
        .edit(
            cm -> {
              cm.getData().put("replicas", "2");
              return cm;
            });
    ConfigMap stale = new ConfigMapBuilder(created).addToData("replicas", "5").build();
    assertThatThrownBy(() -> admin.configMaps().inNamespace("default").resource(stale).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  static ConfigMap configMap(String ns, String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withData(new java.util.HashMap<>(Map.of("replicas", "1")))
        .build();
  }
}
