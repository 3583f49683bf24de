package dev.seb.webhook;

import dev.seb.contracts.SebKeys;
import dev.seb.testing.Cluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parity matrix's ground: a namespace with one object of each sampled kind, a custom resource
 * kind, and the identities, each with every RBAC right the matrix asks about (the execution
 * identity only its minted rule), so that admission alone decides.
 */
final class ParityGround {

  private final Cluster cluster;
  private final KubernetesClient admin;

  ParityGround(Cluster cluster, KubernetesClient admin) {
    this.cluster = cluster;
    this.admin = admin;
  }

  void setUp() {
    for (String ns : List.of("parity", "free", "seb-system", "agents")) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    apply(
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.parity.example.com}
        spec:
          group: parity.example.com
          names: {kind: Widget, plural: widgets, singular: widget}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-preserve-unknown-fields: true
        """);
    apply(
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: seb-parity-everything}
        rules:
        - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
        """);
    String[] objects = {
      "{apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: parity}}",
      "{apiVersion: v1, kind: ServiceAccount, metadata: {name: worker, namespace: parity}}",
      "{apiVersion: v1, kind: ServiceAccount, metadata: {name: seb-operator, namespace: seb-system}}",
      "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: parity},"
          + " spec: {containers: [{name: c, image: x}]}}",
      "{apiVersion: v1, kind: Service, metadata: {name: svc, namespace: parity},"
          + " spec: {ports: [{port: 80}], selector: {app: none}}}",
      deployment("web"),
      deployment("api"),
      "{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy,"
          + " metadata: {name: deny-all, namespace: parity}, spec: {podSelector: {}}}",
      "{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler,"
          + " metadata: {name: web, namespace: parity}, spec: {maxReplicas: 3,"
          + " scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}}",
      "{apiVersion: coordination.k8s.io/v1, kind: Lease,"
          + " metadata: {name: leader, namespace: parity}, spec: {}}",
    };
    for (String object : objects) {
      apply(object);
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                apply(
                        "{apiVersion: parity.example.com/v1, kind: Widget,"
                            + " metadata: {name: w, namespace: parity}}")
                    != null);
    // the execution identity: the minted shape, for deployment web's scale only
    apply(
        "{apiVersion: rbac.authorization.k8s.io/v1, kind: Role,"
            + " metadata: {name: seb-exec-right, namespace: parity}, rules: [{apiGroups: [apps],"
            + " resources: [deployments/scale], resourceNames: [web], verbs: [patch]}]}");
    bind("parity", "seb-exec-right", "Role", "seb-exec-right", "seb-system", "seb-exec-right");
    bind("parity", "agent", "ClusterRole", "seb-parity-everything", "agents", "planner");
    bind("parity", "workload", "ClusterRole", "seb-parity-everything", "parity", "elector");
    for (String[] subject :
        List.of(
            new String[] {"ServiceAccount", "seb-system", "seb-broker"},
            new String[] {"ServiceAccount", "kube-system", "deployment-controller"},
            new String[] {"ServiceAccount", "seb-system", "seb-operator"},
            new String[] {"User", null, "oncall"},
            new String[] {"User", null, "padmin"},
            new String[] {"User", null, "nsadmin"})) {
      apply(
          "{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding,"
              + " metadata: {name: seb-parity-"
              + subject[2]
              + "}, roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole,"
              + " name: cluster-admin}, subjects: [{kind: "
              + subject[0]
              + ", name: "
              + subject[2]
              + (subject[1] == null
                  ? ", apiGroup: rbac.authorization.k8s.io"
                  : ", namespace: " + subject[1])
              + "}]}");
    }
  }

  /** Labels the namespace protected. */
  void protect() {
    admin
        .namespaces()
        .withName("parity")
        .edit(
            n -> {
              n.getMetadata().getLabels().put(SebKeys.PROTECTED, "true");
              return n;
            });
  }

  /** A client for every identity of the matrix. */
  Map<String, KubernetesClient> clients() {
    Map<String, KubernetesClient> clients = new LinkedHashMap<>();
    clients.put("agent", cluster.newTokenClient(token("agents", "planner")));
    clients.put("broker", cluster.newTokenClient(token("seb-system", "seb-broker")));
    clients.put(
        "execution identity", cluster.newTokenClient(token("seb-system", "seb-exec-right")));
    clients.put(
        "controller", cluster.newTokenClient(token("kube-system", "deployment-controller")));
    clients.put("workload exemption", cluster.newTokenClient(token("parity", "elector")));
    clients.put("break-glass", impersonating("oncall", "seb:break-glass"));
    clients.put("protection admin", impersonating("padmin", "seb:protection-admins"));
    clients.put("namespace admin", impersonating("nsadmin"));
    clients.put("seb's operator", cluster.newTokenClient(token("seb-system", "seb-operator")));
    return clients;
  }

  private KubernetesClient impersonating(String user, String... groups) {
    Config config = cluster.adminConfig();
    config.setImpersonateUsername(user);
    config.setImpersonateGroups(groups);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private String token(String namespace, String name) {
    apply(
        "{apiVersion: v1, kind: ServiceAccount, metadata: {name: "
            + name
            + ", namespace: "
            + namespace
            + "}}");
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  private void bind(
      String namespace, String name, String kind, String role, String saNamespace, String sa) {
    apply(
        "{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: "
            + name
            + ", namespace: "
            + namespace
            + "}, roleRef: {apiGroup: rbac.authorization.k8s.io, kind: "
            + kind
            + ", name: "
            + role
            + "}, subjects: [{kind: ServiceAccount, name: "
            + sa
            + ", namespace: "
            + saNamespace
            + "}]}");
  }

  private static String deployment(String name) {
    return "{apiVersion: apps/v1, kind: Deployment, metadata: {name: "
        + name
        + ", namespace: parity}, spec: {replicas: 2, selector: {matchLabels: {app: "
        + name
        + "}}, template: {metadata: {labels: {app: "
        + name
        + "}}, spec: {containers: [{name: c, image: x}]}}}}";
  }

  private HasMetadata apply(String yaml) {
    HasMetadata object =
        // a comment first: flow-style YAML starting with '{' would be read as JSON
        admin
            .getKubernetesSerialization()
            .unmarshal("# parity\n" + yaml, GenericKubernetesResource.class);
    return admin.resource(object).forceConflicts().serverSideApply();
  }
}
