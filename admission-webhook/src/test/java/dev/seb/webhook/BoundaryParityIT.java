package dev.seb.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.contracts.admission.BoundaryPolicies;
import dev.seb.contracts.admission.BoundaryRegistrations;
import dev.seb.contracts.admission.RegistrationCheck;
import dev.seb.ground.SelfSignedTls;
import dev.seb.testing.Cluster;
import dev.seb.testing.QuarkusClusterResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * One matrix of requests (every operation, a sample of core, apps, batch, rbac, networking,
 * autoscaling, coordination and a custom resource, their subresources, and the guard's cases) by
 * every kind of identity, sent to a real API server twice: once with only the webhook's
 * registrations installed and once with only the ValidatingAdmissionPolicies. Both layers must give
 * every request the same verdict, and that verdict must be the one seb promises: protected
 * namespaces are default-deny.
 *
 * <p>The webhook records break-glass through the broker before allowing it ({@link
 * NoticeSinkResource} stands in for the broker here); dry runs write nothing and are not recorded.
 *
 * <p>Requests are dry runs where the API allows it (nothing changes between the two runs); CONNECT
 * requests cannot be, and reach no node (the test ground has none): passing admission shows as the
 * API server's "no host" error instead of a denial. Every identity but the execution identity has
 * every RBAC right it is asked about, so admission alone decides for them.
 */
@QuarkusTest
@QuarkusTestResource(value = WebhookTlsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = NoticeSinkResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(
    value = QuarkusClusterResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = QuarkusClusterResource.CRDS, value = "../crds"))
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class BoundaryParityIT {

  private static final Duration SOON = Duration.ofSeconds(60);
  private static final String NS = "parity";

  Cluster cluster;
  SelfSignedTls tls;

  @TestHTTPResource(value = "/", tls = true)
  URL base;

  @Inject AdmissionPolicy policy;

  /** What admission made of one request. */
  enum Verdict {
    PASSED,
    DENIED_BY_ADMISSION,
    DENIED_BY_RBAC
  }

  /** One request of the matrix; {@code passes} and {@code rbac} name the identities expected so. */
  record Call(
      String what,
      String method,
      String path,
      String contentType,
      String body,
      Set<String> passes,
      Set<String> rbac) {}

  private static final String AGENT = "agent";
  private static final String BROKER = "broker";
  private static final String EXEC = "execution identity";
  private static final String CONTROLLER = "controller";
  private static final String WORKLOAD = "workload exemption";
  private static final String BREAK_GLASS = "break-glass";
  private static final String PROTECTION_ADMIN = "protection admin";
  private static final String NAMESPACE_ADMIN = "namespace admin";
  private static final String OPERATOR = "seb's operator";
  private static final List<String> IDENTITIES =
      List.of(
          AGENT,
          BROKER,
          EXEC,
          CONTROLLER,
          WORKLOAD,
          BREAK_GLASS,
          PROTECTION_ADMIN,
          NAMESPACE_ADMIN,
          OPERATOR);

  @Test
  void theWebhookAlone_andThePolicyAlone_giveEveryRequestTheSameVerdict_theOneSebPromises()
      throws Exception {
    KubernetesClient admin = cluster.newAdminClient();
    ParityGround ground = new ParityGround(cluster, admin);
    ground.setUp();
    Map<String, KubernetesClient> clients = ground.clients();
    List<Call> calls = calls();

    // the webhook alone
    String url = base.toString().replace("localhost", "127.0.0.1");
    var registrations = webhookRegistrations(url);
    registrations.forEach(r -> admin.resource(r).create());
    ground.protect();
    awaitGuarded(clients.get(AGENT), "admission webhook");
    NoticeSinkResource.RECEIVED.clear();
    Map<String, Verdict> webhook = run(clients, calls);
    registrations.forEach(r -> admin.resource(r).delete());
    // break-glass is recorded by the broker before it is allowed: only what is not a dry run
    assertThat(NoticeSinkResource.RECEIVED)
        .hasSize(5)
        .allMatch(n -> n.contains("\"kind\":\"break-glass\"") && n.contains("CONNECT"));

    // the policy alone
    List<HasMetadata> policies = BoundaryPolicies.forPolicy(policy);
    policies.forEach(p -> admin.resource(p).create());
    awaitGuarded(clients.get(AGENT), "ValidatingAdmissionPolicy");
    Map<String, Verdict> vap = run(clients, calls);
    policies.forEach(p -> admin.resource(p).delete());

    Map<String, Verdict> expected = new TreeMap<>();
    for (Call call : calls) {
      for (String identity : IDENTITIES) {
        expected.put(
            key(identity, call),
            call.passes().contains(identity)
                ? Verdict.PASSED
                : call.rbac().contains(identity)
                    ? Verdict.DENIED_BY_RBAC
                    : Verdict.DENIED_BY_ADMISSION);
      }
    }
    assertThat(differences(webhook, vap))
        .as("requests the webhook alone and the ValidatingAdmissionPolicy alone decide differently")
        .isEmpty();
    assertThat(differences(expected, webhook))
        .as("requests decided otherwise than seb promises (expected, then found)")
        .isEmpty();
    assertThat(webhook).hasSize(expected.size());
    clients.values().forEach(KubernetesClient::close);
    admin.close();
  }

  private static List<String> differences(Map<String, Verdict> one, Map<String, Verdict> other) {
    List<String> differences = new ArrayList<>();
    new TreeMap<>(one)
        .forEach(
            (key, verdict) -> {
              if (verdict != other.get(key)) {
                differences.add(key + ": " + verdict + " / " + other.get(key));
              }
            });
    return differences;
  }

  private List<HasMetadata> webhookRegistrations(String url) {
    java.util.function.Function<
            String, io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig>
        at =
            path ->
                new WebhookClientConfigBuilder()
                    .withUrl(url + path)
                    .withCaBundle(tls.caBundle())
                    .build();
    return List.of(
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(RegistrationCheck.PROTECTED)
            .endMetadata()
            .withWebhooks(BoundaryRegistrations.protectedWebhook(policy, at))
            .build(),
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(RegistrationCheck.GUARD)
            .endMetadata()
            .withWebhooks(BoundaryRegistrations.guardWebhooks(policy, at))
            .build());
  }

  /** Waits until the layer just installed answers: the agent's write is refused by it. */
  private void awaitGuarded(KubernetesClient agent, String by) {
    Call probe =
        new Call(
            "probe",
            "PATCH",
            "/api/v1/namespaces/" + NS + "/configmaps/settings?dryRun=All",
            "application/merge-patch+json",
            "{\"metadata\":{\"annotations\":{\"probe\":\"1\"}}}",
            Set.of(),
            Set.of());
    await()
        .atMost(SOON)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(send(agent, probe).body()).contains(by));
  }

  private Map<String, Verdict> run(Map<String, KubernetesClient> clients, List<Call> calls)
      throws Exception {
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    for (Call call : calls) {
      for (String identity : IDENTITIES) {
        HttpResponse<String> response = send(clients.get(identity), call);
        verdicts.put(key(identity, call), verdict(response));
      }
    }
    return verdicts;
  }

  private static String key(String identity, Call call) {
    return identity + " | " + call.what();
  }

  private static Verdict verdict(HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body();
    if (body.contains("admission webhook") || body.contains("ValidatingAdmissionPolicy")) {
      return Verdict.DENIED_BY_ADMISSION;
    }
    if (response.code() == 403) {
      return Verdict.DENIED_BY_RBAC;
    }
    return Verdict.PASSED;
  }

  private static HttpResponse<String> send(KubernetesClient client, Call call) throws Exception {
    var http = client.getHttpClient();
    String master = client.getConfiguration().getMasterUrl().replaceAll("/$", "");
    HttpRequest.Builder request = http.newHttpRequestBuilder().uri(master + call.path());
    request =
        call.body() == null
            ? request.method(call.method(), "application/json", null)
            : request.method(call.method(), call.contentType(), call.body());
    return http.sendAsync(request.build(), String.class).get(30, TimeUnit.SECONDS);
  }

  // ---- the matrix

  private static final Set<String> CLUSTER = Set.of(CONTROLLER, BREAK_GLASS);
  private static final Set<String> NOT_EXEC = Set.of(EXEC);

  private static List<Call> calls() {
    String core = "/api/v1/namespaces/" + NS;
    String apps = "/apis/apps/v1/namespaces/" + NS;
    List<Call> calls = new ArrayList<>();
    String merge = "application/merge-patch+json";
    String json = "application/json";
    String annotate = "{\"metadata\":{\"annotations\":{\"seb-parity\":\"1\"}}}";
    // every operation on a sample of kinds, in the protected namespace
    calls.add(
        call(
            "create configmap",
            "POST",
            core + "/configmaps?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"new\"}}"));
    calls.add(
        call(
            "update configmap",
            "PATCH",
            core + "/configmaps/settings?dryRun=All",
            merge,
            annotate));
    calls.add(
        call("delete configmap", "DELETE", core + "/configmaps/settings?dryRun=All", json, null));
    calls.add(
        call(
            "create secret",
            "POST",
            core + "/secrets?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"new\"}}"));
    calls.add(
        call(
            "create replicationcontroller",
            "POST",
            core + "/replicationcontrollers?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"ReplicationController\",\"metadata\":{\"name\":\"rc\"},"
                + "\"spec\":{\"replicas\":1,\"selector\":{\"app\":\"rc\"},\"template\":{\"metadata\":"
                + "{\"labels\":{\"app\":\"rc\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":"
                + "\"x\",\"securityContext\":{\"privileged\":true}}]}}}}"));
    calls.add(
        call(
            "create pod",
            "POST",
            core + "/pods?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"new\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}"));
    calls.add(
        call(
            "connect pods/exec", "POST", core + "/pods/p/exec?command=id&stdout=true", json, null));
    calls.add(call("connect pods/attach", "POST", core + "/pods/p/attach?stdout=true", json, null));
    calls.add(
        call(
            "connect pods/portforward", "POST", core + "/pods/p/portforward?ports=80", json, null));
    calls.add(call("connect pods/proxy", "GET", core + "/pods/p/proxy/", json, null));
    calls.add(call("connect services/proxy", "GET", core + "/services/svc/proxy/", json, null));
    calls.add(
        call(
            "create pods/eviction",
            "POST",
            core + "/pods/p/eviction?dryRun=All",
            json,
            "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"p\"}}"));
    calls.add(
        call(
            "update pods/ephemeralcontainers",
            "PATCH",
            core + "/pods/p/ephemeralcontainers?dryRun=All",
            "application/strategic-merge-patch+json",
            "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"debug\",\"image\":\"busybox\"}]}}"));
    calls.add(
        call(
            "update pods/status",
            "PATCH",
            core + "/pods/p/status?dryRun=All",
            merge,
            "{\"status\":{\"message\":\"not ready\"}}"));
    calls.add(
        call(
            "create serviceaccounts/token",
            "POST",
            core + "/serviceaccounts/worker/token?dryRun=All",
            json,
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                + "\"spec\":{\"audiences\":[\"sts.amazonaws.com\"]}}"));
    calls.add(
        call("update deployment", "PATCH", apps + "/deployments/web?dryRun=All", merge, annotate));
    calls.add(
        call("delete deployment", "DELETE", apps + "/deployments/web?dryRun=All", json, null));
    calls.add(
        call(
            "update deployments/status",
            "PATCH",
            apps + "/deployments/web/status?dryRun=All",
            merge,
            "{\"status\":{\"observedGeneration\":7}}"));
    calls.add(
        new Call(
            "update deployments/scale of the minted object",
            "PATCH",
            apps + "/deployments/web/scale?dryRun=All",
            merge,
            "{\"spec\":{\"replicas\":3}}",
            Set.of(CONTROLLER, BREAK_GLASS, EXEC),
            Set.of()));
    calls.add(
        call(
            "update deployments/scale of another object",
            "PATCH",
            apps + "/deployments/api/scale?dryRun=All",
            merge,
            "{\"spec\":{\"replicas\":3}}"));
    calls.add(
        call(
            "create job",
            "POST",
            "/apis/batch/v1/namespaces/" + NS + "/jobs?dryRun=All",
            json,
            "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"j\"},\"spec\":"
                + "{\"template\":{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":"
                + "\"c\",\"image\":\"x\"}]}}}}"));
    calls.add(
        call(
            "update networkpolicy",
            "PATCH",
            "/apis/networking.k8s.io/v1/namespaces/" + NS + "/networkpolicies/deny-all?dryRun=All",
            merge,
            annotate));
    calls.add(
        call(
            "delete horizontalpodautoscaler",
            "DELETE",
            "/apis/autoscaling/v2/namespaces/" + NS + "/horizontalpodautoscalers/web?dryRun=All",
            json,
            null));
    calls.add(
        call(
            "create widget (a custom resource)",
            "POST",
            "/apis/parity.example.com/v1/namespaces/" + NS + "/widgets?dryRun=All",
            json,
            "{\"apiVersion\":\"parity.example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":"
                + "\"new\"}}"));
    calls.add(
        call(
            "update widgets/status",
            "PATCH",
            "/apis/parity.example.com/v1/namespaces/" + NS + "/widgets/w/status?dryRun=All",
            merge,
            "{\"status\":{\"ready\":false}}"));
    calls.add(
        new Call(
            "update lease",
            "PATCH",
            "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/leader?dryRun=All",
            merge,
            "{\"spec\":{\"holderIdentity\":\"me\"}}",
            Set.of(CONTROLLER, BREAK_GLASS, WORKLOAD),
            NOT_EXEC));
    calls.add(
        new Call(
            "create event",
            "POST",
            core + "/events?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e\"},"
                + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\""
                + NS
                + "\"},\"reason\":\"Elected\",\"message\":\"leader\"}",
            Set.of(CONTROLLER, BREAK_GLASS, WORKLOAD, OPERATOR, BROKER),
            NOT_EXEC));
    // seb's own kinds have rules of their own: agents propose where they work
    calls.add(
        new Call(
            "create mutationproposal",
            "POST",
            "/apis/seb.dev/v1alpha1/namespaces/" + NS + "/mutationproposals?dryRun=All",
            json,
            "{\"apiVersion\":\"seb.dev/v1alpha1\",\"kind\":\"MutationProposal\",\"metadata\":"
                + "{\"name\":\"p\"},\"spec\":{\"mandateRef\":\"m\",\"contractRef\":\"c\","
                + "\"operation\":{\"type\":\"scale\",\"replicas\":3}}}",
            Set.of(
                AGENT,
                BROKER,
                CONTROLLER,
                WORKLOAD,
                BREAK_GLASS,
                PROTECTION_ADMIN,
                NAMESPACE_ADMIN,
                OPERATOR),
            NOT_EXEC));
    // RBAC in the protected namespace: the broker's minted shape, and what it must not mint
    String rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces/" + NS;
    calls.add(
        new Call(
            "create role of the minted shape",
            "POST",
            rbac + "/roles?dryRun=All",
            json,
            role("seb-exec-minted", "apps", "deployments/scale", "patch", "\"web\""),
            Set.of(CONTROLLER, BREAK_GLASS, BROKER),
            NOT_EXEC));
    calls.add(
        call(
            "create role with a wildcard",
            "POST",
            rbac + "/roles?dryRun=All",
            json,
            role("seb-exec-wild", "*", "*", "*", null)));
    calls.add(
        call(
            "create role for two objects",
            "POST",
            rbac + "/roles?dryRun=All",
            json,
            role("seb-exec-two", "apps", "deployments", "patch", "\"web\",\"api\"")));
    calls.add(
        call(
            "create role for secrets without a name",
            "POST",
            rbac + "/roles?dryRun=All",
            json,
            role("seb-exec-secrets", "", "secrets", "get", null)));
    calls.add(
        new Call(
            "create rolebinding of the minted shape",
            "POST",
            rbac + "/rolebindings?dryRun=All",
            json,
            binding("seb-exec-abc", "seb-exec-abc", "seb-system", "seb-exec-abc"),
            Set.of(CONTROLLER, BREAK_GLASS, BROKER),
            NOT_EXEC));
    calls.add(
        call(
            "create rolebinding to the agent",
            "POST",
            rbac + "/rolebindings?dryRun=All",
            json,
            binding("seb-exec-abc", "seb-exec-abc", "agents", "planner")));
    // outside protected namespaces: the broker's own writes are confined; nobody else's are
    Set<String> clusterWide =
        Set.of(CONTROLLER, BREAK_GLASS, PROTECTION_ADMIN, NAMESPACE_ADMIN, OPERATOR);
    Set<String> notClusterWide = Set.of(AGENT, WORKLOAD, EXEC);
    calls.add(
        new Call(
            "create role in an unprotected namespace",
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/free/roles?dryRun=All",
            json,
            role("seb-exec-free", "apps", "deployments/scale", "patch", "\"web\""),
            clusterWide,
            notClusterWide));
    calls.add(
        new Call(
            "create clusterrole",
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/clusterroles?dryRun=All",
            json,
            "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":"
                + "{\"name\":\"seb-exec-cluster\"},\"rules\":[{\"apiGroups\":[\"*\"],\"resources\":"
                + "[\"*\"],\"verbs\":[\"*\"]}]}",
            clusterWide,
            notClusterWide));
    calls.add(
        new Call(
            "create execution serviceaccount in seb's namespace",
            "POST",
            "/api/v1/namespaces/seb-system/serviceaccounts?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":"
                + "\"seb-exec-new\"}}",
            Set.of(BROKER, CONTROLLER, BREAK_GLASS, PROTECTION_ADMIN, NAMESPACE_ADMIN, OPERATOR),
            notClusterWide));
    calls.add(
        new Call(
            "create a token for the operator's serviceaccount",
            "POST",
            "/api/v1/namespaces/seb-system/serviceaccounts/seb-operator/token?dryRun=All",
            json,
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}",
            clusterWide,
            notClusterWide));
    calls.add(
        new Call(
            "create a serviceaccount-token secret in seb's namespace",
            "POST",
            "/api/v1/namespaces/seb-system/secrets?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"operator-token\","
                + "\"annotations\":{\"kubernetes.io/service-account.name\":\"seb-operator\"}},"
                + "\"type\":\"kubernetes.io/service-account-token\"}",
            clusterWide,
            notClusterWide));
    // by name: the broker's own Secret, ConfigMap and Leases, nothing else of the kind
    Set<String> brokerAndClusterWide =
        Set.of(BROKER, CONTROLLER, BREAK_GLASS, PROTECTION_ADMIN, NAMESPACE_ADMIN, OPERATOR);
    String sebNs = "/api/v1/namespaces/seb-system/";
    String leases = "/apis/coordination.k8s.io/v1/namespaces/seb-system/leases?dryRun=All";
    calls.add(
        new Call(
            "create a forged helm release secret in seb's namespace",
            "POST",
            sebNs + "secrets?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":"
                + "\"sh.helm.release.v1.seb.v9\"},\"type\":\"helm.sh/release.v1\"}",
            clusterWide,
            notClusterWide));
    calls.add(
        new Call(
            "create the signing key secret",
            "POST",
            sebNs + "secrets?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":"
                + "\"seb-broker-signing-key\"},\"type\":\"Opaque\"}",
            brokerAndClusterWide,
            notClusterWide));
    calls.add(
        new Call(
            "create another configmap in seb's namespace",
            "POST",
            sebNs + "configmaps?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":" + "\"other\"}}",
            clusterWide,
            notClusterWide));
    calls.add(
        new Call(
            "create the epoch marks configmap",
            "POST",
            sebNs + "configmaps?dryRun=All",
            json,
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":"
                + "\"seb-epoch-marks\"}}",
            brokerAndClusterWide,
            notClusterWide));
    calls.add(
        new Call(
            "create the operator's leader lease",
            "POST",
            leases,
            json,
            "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":"
                + "{\"name\":\"seb-operator\"}}",
            clusterWide,
            notClusterWide));
    calls.add(
        new Call(
            "create a chain lease",
            "POST",
            leases,
            json,
            "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":"
                + "{\"name\":\"seb-chain-seb-broker-7\"}}",
            brokerAndClusterWide,
            notClusterWide));
    // the protection label
    calls.add(
        new Call(
            "remove the protection label",
            "PATCH",
            "/api/v1/namespaces/" + NS + "?dryRun=All",
            merge,
            "{\"metadata\":{\"labels\":{\"seb.dev/protected\":null}}}",
            Set.of(PROTECTION_ADMIN),
            NOT_EXEC));
    for (String sub : List.of("status", "finalize")) {
      calls.add(
          new Call(
              "remove the protection label through namespaces/" + sub,
              "PUT",
              "/api/v1/namespaces/" + NS + "/" + sub + "?dryRun=All",
              json,
              "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                  + NS
                  + "\",\"labels\":{\"kubernetes.io/metadata.name\":\""
                  + NS
                  + "\"}},\"spec\":{\"finalizers\":[\"kubernetes\"]}}",
              Set.of(PROTECTION_ADMIN),
              NOT_EXEC));
    }
    calls.add(
        new Call(
            "delete the protected namespace",
            "DELETE",
            "/api/v1/namespaces/" + NS + "?dryRun=All",
            json,
            null,
            Set.of(PROTECTION_ADMIN),
            NOT_EXEC));
    calls.add(
        new Call(
            "label another namespace",
            "PATCH",
            "/api/v1/namespaces/free?dryRun=All",
            merge,
            "{\"metadata\":{\"labels\":{\"team\":\"a\"}}}",
            Set.of(BROKER, CONTROLLER, BREAK_GLASS, PROTECTION_ADMIN, NAMESPACE_ADMIN, OPERATOR),
            notClusterWide));
    return calls;
  }

  /** A request in the protected namespace: only the cluster's components and break-glass pass. */
  private static Call call(String what, String method, String path, String type, String body) {
    return new Call(what, method, path, type, body, CLUSTER, NOT_EXEC);
  }

  private static String role(
      String name, String group, String resource, String verb, String names) {
    return "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\",\"metadata\":"
        + "{\"name\":\""
        + name
        + "\"},\"rules\":[{\"apiGroups\":[\""
        + group
        + "\"],\"resources\":[\""
        + resource
        + "\"],\"verbs\":[\""
        + verb
        + "\"]"
        + (names == null ? "" : ",\"resourceNames\":[" + names + "]")
        + "}]}";
  }

  private static String binding(String name, String role, String subjectNs, String subject) {
    return "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":"
        + "{\"name\":\""
        + name
        + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\""
        + role
        + "\"},\"subjects\":[{\"kind\":\"ServiceAccount\",\"namespace\":\""
        + subjectNs
        + "\",\"name\":\""
        + subject
        + "\"}]}";
  }
}
