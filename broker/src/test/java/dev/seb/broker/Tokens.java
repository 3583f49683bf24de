package dev.seb.broker;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Real ServiceAccount tokens (TokenRequest) for the broker's HTTP callers in tests. */
final class Tokens {

  private static final String READER = "seb-test-record-reader";

  private Tokens() {}

  /** A token of the ServiceAccount, made (with its namespace) if absent. */
  static String of(KubernetesClient admin, String namespace, String name) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    admin
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .serverSideApply();
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /** An auditor who may list ExecutionRecords in every namespace. */
  static String clusterAuditor(KubernetesClient admin) {
    readerRole(admin);
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("seb-test-cluster-auditor")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", READER)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withNamespace("auditors")
                .withName("cluster-auditor")
                .endSubject()
                .build())
        .serverSideApply();
    return of(admin, "auditors", "cluster-auditor");
  }

  /** An auditor who may list ExecutionRecords in one namespace only. */
  static String namespaceAuditor(KubernetesClient admin, String namespace) {
    readerRole(admin);
    String token = of(admin, "auditors", "ns-auditor");
    admin
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("seb-test-ns-auditor")
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", READER)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withNamespace("auditors")
                .withName("ns-auditor")
                .endSubject()
                .build())
        .serverSideApply();
    return token;
  }

  private static void readerRole(KubernetesClient admin) {
    admin
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(READER)
                .endMetadata()
                .addNewRule()
                .withApiGroups("seb.dev")
                .withResources("executionrecords")
                .withVerbs("get", "list")
                .endRule()
                .build())
        .serverSideApply();
  }
}
