package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.testing.AccessReview;
import dev.seb.testing.ClusterExtension;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker's shipped RBAC, asked of the real API server's authorizer: it can decide, record and
 * mint, and it cannot mutate workloads, read other Secrets or rewrite records.
 */
class BrokerRbacIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  @BeforeAll
  static void applyRbac() throws Exception {
    KubernetesClient admin = kube.admin();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("seb-system").endMetadata().build())
        .create();
    try (InputStream in = dev.seb.testing.TestGround.chartTemplate("broker-rbac.yaml")) {
      admin.load(in).create();
    }
  }

  private static boolean allowed(
      String verb, String group, String resource, String subresource, String namespace) {
    return AccessReview.forServiceAccount(kube.admin(), "seb-system", "seb-broker")
        .allowed(verb, group, resource, subresource, namespace);
  }

  @Test
  void broker_canDecideRecordAndMint() {
    assertThat(allowed("watch", "seb.dev", "mutationproposals", null, "shop")).isTrue();
    assertThat(allowed("patch", "seb.dev", "mutationproposals", "status", "shop")).isTrue();
    assertThat(allowed("create", "seb.dev", "executionrecords", null, "shop")).isTrue();
    assertThat(allowed("create", "authorization.k8s.io", "subjectaccessreviews", null, null))
        .isTrue();
    // notices and record export authenticate their callers
    assertThat(allowed("create", "authentication.k8s.io", "tokenreviews", null, null)).isTrue();
    assertThat(allowed("get", "apps", "deployments", null, "shop")).isTrue();
    assertThat(allowed("create", "", "serviceaccounts", null, "seb-system")).isTrue();
    assertThat(allowed("create", "", "serviceaccounts", "token", "seb-system")).isTrue();
    // its record chain's Lease
    assertThat(allowed("update", "coordination.k8s.io", "leases", null, "seb-system")).isTrue();
    assertThat(allowed("patch", "coordination.k8s.io", "leases", null, "seb-system")).isTrue();
    assertThat(allowed("create", "coordination.k8s.io", "leases", null, "seb-system")).isTrue();
    assertThat(allowed("update", "coordination.k8s.io", "leases", null, "shop")).isFalse();
    assertThat(allowed("create", "rbac.authorization.k8s.io", "roles", null, "shop")).isTrue();
    assertThat(allowed("escalate", "rbac.authorization.k8s.io", "roles", null, "shop")).isTrue();
  }

  private static boolean allowedOn(String verb, String resource, String namespace, String name) {
    return AccessReview.forServiceAccount(kube.admin(), "seb-system", "seb-broker")
        .allowed(verb, "", resource, null, namespace, name);
  }

  @Test
  void broker_keepsItsEpochMarks_andNothingElseInConfigMaps() {
    assertThat(allowedOn("get", "configmaps", "seb-system", "seb-epoch-marks")).isTrue();
    assertThat(allowedOn("update", "configmaps", "seb-system", "seb-epoch-marks")).isTrue();
    assertThat(allowedOn("create", "configmaps", "seb-system", null)).isTrue();
    // raised only: never deleted or patched, and no other ConfigMap is writable
    assertThat(allowedOn("delete", "configmaps", "seb-system", "seb-epoch-marks")).isFalse();
    assertThat(allowedOn("patch", "configmaps", "seb-system", "seb-epoch-marks")).isFalse();
    assertThat(allowedOn("update", "configmaps", "seb-system", "something-else")).isFalse();
    assertThat(allowedOn("update", "configmaps", "shop", "seb-epoch-marks")).isFalse();
    assertThat(allowedOn("create", "configmaps", "shop", null)).isFalse();
  }

  @Test
  void broker_cannotMutateWorkloadsReadSecretsOrRewriteRecords() {
    assertThat(allowed("patch", "apps", "deployments", null, "shop")).isFalse();
    assertThat(allowed("patch", "apps", "deployments", "scale", "shop")).isFalse();
    assertThat(allowed("delete", "", "configmaps", null, "shop")).isFalse();
    assertThat(allowed("get", "", "secrets", null, "shop")).isFalse();
    assertThat(allowed("update", "seb.dev", "executionrecords", null, "shop")).isFalse();
    assertThat(allowed("delete", "seb.dev", "executionrecords", null, "shop")).isFalse();
    assertThat(allowed("update", "seb.dev", "mandates", null, "shop")).isFalse();
    assertThat(allowed("create", "", "serviceaccounts", "token", "shop")).isFalse();
  }
}
