package dev.seb.operator;

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
 * The operator's shipped RBAC, asked of the real API server's authorizer: it can do what the
 * reconcilers need and nothing that would let it mutate workloads, secrets or seb specs.
 */
class OperatorRbacIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  @BeforeAll
  static void applyRbac() throws Exception {
    KubernetesClient admin = kube.admin();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("seb-system").endMetadata().build())
        .create();
    try (InputStream in = dev.seb.testing.TestGround.chartTemplate("operator-rbac.yaml")) {
      admin.load(in).create();
    }
  }

  private static boolean allowed(
      String verb, String group, String resource, String subresource, String namespace) {
    return AccessReview.forServiceAccount(kube.admin(), "seb-system", "seb-operator")
        .allowed(verb, group, resource, subresource, namespace);
  }

  @Test
  void operator_canWatchSebKinds_patchTheirStatus_recordEvents_andHoldItsLease() {
    assertThat(allowed("watch", "seb.dev", "mandates", null, "shop")).isTrue();
    assertThat(allowed("list", "seb.dev", "mutationproposals", null, "shop")).isTrue();
    assertThat(allowed("patch", "seb.dev", "mandates", "status", "shop")).isTrue();
    assertThat(allowed("patch", "seb.dev", "trustanchors", "status", null)).isTrue();
    assertThat(allowed("create", "", "events", null, "shop")).isTrue();
    assertThat(leaseAllowed("update", "seb-operator")).isTrue();
    assertThat(leaseAllowed("patch", "seb-operator")).isTrue();
    assertThat(allowed("create", "coordination.k8s.io", "leases", null, "seb-system")).isTrue();
  }

  @Test
  void operator_cannotTakeTheBrokersChainLease() {
    assertThat(leaseAllowed("update", "seb-chain-seb-broker-0")).isFalse();
    assertThat(leaseAllowed("patch", "seb-chain-seb-broker-0")).isFalse();
  }

  private static boolean leaseAllowed(String verb, String name) {
    return AccessReview.forServiceAccount(kube.admin(), "seb-system", "seb-operator")
        .allowed(verb, "coordination.k8s.io", "leases", null, "seb-system", name);
  }

  @Test
  void operator_cannotTouchWorkloadsSecretsOrSebSpecs() {
    assertThat(allowed("patch", "apps", "deployments", null, "shop")).isFalse();
    assertThat(allowed("patch", "apps", "deployments", "scale", "shop")).isFalse();
    assertThat(allowed("get", "", "secrets", null, "shop")).isFalse();
    assertThat(allowed("update", "seb.dev", "mandates", null, "shop")).isFalse();
    assertThat(allowed("create", "seb.dev", "executionrecords", null, "shop")).isFalse();
    assertThat(allowed("patch", "seb.dev", "mutationproposals", "status", "shop")).isFalse();
    assertThat(allowed("create", "", "serviceaccounts", "token", "shop")).isFalse();
    assertThat(allowed("update", "coordination.k8s.io", "leases", null, "kube-system")).isFalse();
  }
}
