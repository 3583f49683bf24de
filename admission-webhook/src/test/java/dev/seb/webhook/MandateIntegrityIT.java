package dev.seb.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.SebKeys;
import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.ground.SelfSignedTls;
import dev.seb.testing.Cluster;
import dev.seb.testing.QuarkusClusterResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchConditionBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * Mandate integrity and the status of seb's kinds, attacked on a real API server with the webhook's
 * seb-kinds registration as the chart deploys it (status included) and the seb-kinds
 * ValidatingAdmissionPolicy from the chart. Principals are impersonated users; the agent is a real
 * ServiceAccount with every verb on every seb kind and its status. The stamping (mutating) webhook
 * is deliberately not registered, as for a client that gets past it. A namespace per test.
 */
@QuarkusTest
@QuarkusTestResource(value = WebhookTlsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(
    value = QuarkusClusterResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = QuarkusClusterResource.CRDS, value = "../crds"))
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MandateIntegrityIT {

  private static final Duration SOON = Duration.ofSeconds(30);
  private static final String AGENT = "system:serviceaccount:agents:planner";
  private static final ResourceDefinitionContext MANDATES = crd("mandates", "Mandate");
  private static final ResourceDefinitionContext PROPOSALS =
      crd("mutationproposals", "MutationProposal");
  private static final String[] NAMESPACES = {"revoked", "rewrite", "amend", "status", "stamp"};

  Cluster cluster;
  SelfSignedTls tls;

  @TestHTTPResource(value = "/", tls = true)
  URL base;

  private static boolean ready;
  private static KubernetesClient admin;
  private static String agentToken;
  private static String operatorToken;

  private static ResourceDefinitionContext crd(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("seb.dev")
        .withVersion("v1alpha1")
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(true)
        .build();
  }

  @BeforeEach
  void setUpOnce() throws Exception {
    if (ready) {
      return;
    }
    admin = cluster.newAdminClient();
    for (String ns : new String[] {"agents", "seb-system"}) {
      namespace(ns);
    }
    admin.serviceAccounts().inNamespace("agents").resource(sa("planner")).create();
    admin.serviceAccounts().inNamespace("seb-system").resource(sa("seb-operator")).create();
    for (String ns : NAMESPACES) {
      namespace(ns);
      // every verb on every seb kind and its status, for the agent, the operator and the people:
      // only admission stands in their way
      admin
          .rbac()
          .roles()
          .inNamespace(ns)
          .resource(
              new RoleBuilder()
                  .withNewMetadata()
                  .withName("seb-all")
                  .endMetadata()
                  .withRules(
                      new PolicyRuleBuilder()
                          .withApiGroups("seb.dev")
                          .withResources("*", "mandates/status", "mutationproposals/status")
                          .withVerbs("get", "list", "create", "patch", "update", "delete")
                          .build())
                  .build())
          .create();
      admin
          .rbac()
          .roleBindings()
          .inNamespace(ns)
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("seb-all")
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "Role", "seb-all")
                  .withSubjects(
                      new SubjectBuilder()
                          .withKind("ServiceAccount")
                          .withName("planner")
                          .withNamespace("agents")
                          .build(),
                      new SubjectBuilder()
                          .withKind("ServiceAccount")
                          .withName("seb-operator")
                          .withNamespace("seb-system")
                          .build(),
                      user("alice"),
                      user("bob"),
                      user("root"))
                  .build())
          .create();
    }
    agentToken = token("agents", "planner");
    operatorToken = token("seb-system", "seb-operator");
    String url = base.toString().replace("localhost", "127.0.0.1");
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(
            new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName("seb-kinds")
                .endMetadata()
                .addNewWebhook()
                .withName("kinds.seb.dev")
                .withNewClientConfig()
                .withUrl(url + "validate/seb")
                .withCaBundle(tls.caBundle())
                .endClientConfig()
                .withRules(
                    new RuleWithOperationsBuilder()
                        .withOperations("CREATE", "UPDATE", "DELETE")
                        .withApiGroups("seb.dev")
                        .withApiVersions("*")
                        .withResources("*", "*/status")
                        .build())
                .withMatchConditions(
                    AdmissionPolicy.defaults().sebKindsMatchConditions().entrySet().stream()
                        .map(
                            c ->
                                new MatchConditionBuilder()
                                    .withName(c.getKey())
                                    .withExpression(c.getValue())
                                    .build())
                        .toList())
                .withFailurePolicy("Fail")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(5)
                .endWebhook()
                .build())
        .create();
    ready = true;
  }

  private static void namespace(String ns) {
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
  }

  private static io.fabric8.kubernetes.api.model.ServiceAccount sa(String name) {
    return new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  private static io.fabric8.kubernetes.api.model.rbac.Subject user(String name) {
    return new SubjectBuilder()
        .withKind("User")
        .withApiGroup("rbac.authorization.k8s.io")
        .withName(name)
        .build();
  }

  private static String token(String ns, String name) {
    return admin
        .serviceAccounts()
        .inNamespace(ns)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /** A person, as the API server authenticates her (impersonated by the test's admin). */
  private KubernetesClient person(String name, String... groups) {
    io.fabric8.kubernetes.client.Config config = cluster.adminConfig();
    config.setImpersonateUsername(name);
    config.setImpersonateGroups(groups);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static GenericKubernetesResource mandate(String ns, String principal) {
    return admin
        .getKubernetesSerialization()
        .unmarshal(
            """
            apiVersion: seb.dev/v1alpha1
            kind: Mandate
            metadata: {name: planner, namespace: %s}
            spec:
              principal: {subject: %s}
              agent: {serviceAccount: agents/planner}
              scope: [{contractRef: scale-web, operations: [scale],
                       constraints: {minReplicas: 2, maxReplicas: 6}}]
              lifecycle: {notAfter: "2027-01-01T00:00:00Z"}
            """
                .formatted(ns, principal),
            GenericKubernetesResource.class);
  }

  private static void merge(KubernetesClient as, String ns, String patch) {
    as.genericKubernetesResources(MANDATES)
        .inNamespace(ns)
        .withName("planner")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private static void refused(Runnable call, String... parts) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getMessage()).contains(parts));
  }

  @Test
  @Order(1)
  void principal_cannotRemoveAnAdminsRevocation() {
    try (KubernetesClient alice = person("alice");
        KubernetesClient root = person("root", "seb:admins")) {
      alice.resource(mandate("revoked", "alice")).create();
      merge(
          root,
          "revoked",
          "{\"spec\":{\"revocation\":{\"requestedBy\":\"root\",\"reason\":\"incident\"}}}");
      refused(() -> merge(alice, "revoked", "{\"spec\":{\"revocation\":null}}"), "spec.revocation");
      refused(
          () ->
              merge(
                  alice,
                  "revoked",
                  "{\"spec\":{\"lifecycle\":{\"notAfter\":\"2026-01-01T00:00:00Z\"}}}"),
          "it is revoked");
      assertThat(
              admin
                  .genericKubernetesResources(MANDATES)
                  .inNamespace("revoked")
                  .withName("planner")
                  .get()
                  .<Object>get("spec", "revocation", "requestedBy"))
          .isEqualTo("root");
    }
  }

  @Test
  @Order(2)
  void anotherPrincipal_cannotRewriteAMandate() {
    try (KubernetesClient alice = person("alice");
        KubernetesClient bob = person("bob")) {
      alice.resource(mandate("rewrite", "alice")).create();
      refused(
          () ->
              merge(
                  bob,
                  "rewrite",
                  "{\"spec\":{\"agent\":{\"serviceAccount\":\"agents/bobs-bot\"},"
                      + "\"lifecycle\":{\"notAfter\":\"2028-01-01T00:00:00Z\"}}}"),
          "spec.agent is immutable");
      refused(
          () ->
              merge(
                  bob,
                  "rewrite",
                  "{\"spec\":{\"lifecycle\":{\"notAfter\":\"2026-06-01T00:00:00Z\"}}}"),
          "bob may not update Mandate rewrite/planner",
          "spec.principal.subject alice");
      refused(
          () -> bob.resource(mandate("rewrite", "alice")).delete(), "spec.principal.subject alice");
      refused(
          () -> merge(bob, "rewrite", "{\"spec\":{\"principal\":{\"subject\":\"bob\"}}}"),
          "spec.principal");
    }
  }

  @Test
  @Order(3)
  void principal_mayNarrowHerMandate_butNotBroadenIt() {
    try (KubernetesClient alice = person("alice")) {
      alice.resource(mandate("amend", "alice")).create();
      refused(
          () ->
              merge(
                  alice,
                  "amend",
                  "{\"spec\":{\"scope\":[{\"contractRef\":\"scale-web\",\"operations\":[\"scale\"],"
                      + "\"constraints\":{\"minReplicas\":2,\"maxReplicas\":60}}]}}"),
          "spec.scope[scale-web].constraints: maxReplicas 60 is above 6",
          "create a new mandate to broaden");
      refused(
          () ->
              merge(
                  alice,
                  "amend",
                  "{\"spec\":{\"lifecycle\":{\"notAfter\":\"2028-01-01T00:00:00Z\"}}}"),
          "spec.lifecycle.notAfter",
          "create a new mandate to broaden");
      merge(
          alice,
          "amend",
          "{\"spec\":{\"scope\":[{\"contractRef\":\"scale-web\",\"operations\":[\"scale\"],"
              + "\"constraints\":{\"minReplicas\":2,\"maxReplicas\":4}}],"
              + "\"lifecycle\":{\"notAfter\":\"2026-06-01T00:00:00Z\"}}}");
      assertThat(
              admin
                  .genericKubernetesResources(MANDATES)
                  .inNamespace("amend")
                  .withName("planner")
                  .get()
                  .<Object>get("spec", "lifecycle", "notAfter"))
          .isEqualTo("2026-06-01T00:00:00Z");
    }
  }

  @Test
  @Order(4)
  void proposalWithAForgedStamp_isRefused_whenTheStampingWebhookIsBypassed() {
    String proposal =
        """
        apiVersion: seb.dev/v1alpha1
        kind: MutationProposal
        metadata:
          name: %s
          namespace: stamp
          annotations: {seb.dev/submitted-by: "%s"}
        spec: {mandateRef: planner, contractRef: scale-web, operation: {type: scale, replicas: 3}}
        """;
    try (KubernetesClient agent = cluster.newTokenClient(agentToken)) {
      refused(
          () ->
              agent
                  .resource(
                      agent
                          .getKubernetesSerialization()
                          .unmarshal(
                              proposal.formatted("forged", "system:serviceaccount:agents:trusted"),
                              GenericKubernetesResource.class))
                  .create(),
          SebKeys.SUBMITTED_BY,
          "is 'system:serviceaccount:agents:trusted' but the proposal is created by " + AGENT);
      agent
          .resource(
              agent
                  .getKubernetesSerialization()
                  .unmarshal(proposal.formatted("honest", AGENT), GenericKubernetesResource.class))
          .create();
    }
    assertThat(
            admin
                .genericKubernetesResources(PROPOSALS)
                .inNamespace("stamp")
                .withName("honest")
                .get())
        .isNotNull();
  }

  private static final String ACTIVE = "{\"status\":{\"phase\":\"Active\"}}";

  private static void status(KubernetesClient as, String patch) {
    as.genericKubernetesResources(MANDATES)
        .inNamespace("status")
        .withName("planner")
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  @Test
  @Order(100)
  void agent_cannotSetARevokedMandateActive_byTheWebhook_norByThePolicyAlone() throws Exception {
    try (KubernetesClient root = person("root", "seb:admins");
        KubernetesClient agent = cluster.newTokenClient(agentToken);
        KubernetesClient operator = cluster.newTokenClient(operatorToken)) {
      root.resource(mandate("status", "alice")).create();
      merge(
          root,
          "status",
          "{\"spec\":{\"revocation\":{\"requestedBy\":\"root\",\"reason\":\"gone\"}}}");
      status(operator, "{\"status\":{\"phase\":\"Revoked\"}}");
      refused(() -> status(agent, ACTIVE), AGENT + " may not write mandates/status");
      refused(() -> status(root, ACTIVE), "root may not write mandates/status");

      try (InputStream in =
          dev.seb.testing.TestGround.chartTemplate("validating-admission-policy-seb-kinds.yaml")) {
        admin.load(in).serverSideApply();
      }
      admin
          .admissionRegistration()
          .v1()
          .validatingWebhookConfigurations()
          .withName("seb-kinds")
          .delete();
      await()
          .atMost(SOON)
          .untilAsserted(
              () ->
                  refused(
                      () -> status(agent, ACTIVE),
                      "seb-kinds",
                      AGENT + " may not write mandates/status"));
      refused(
          () -> merge(agent, "status", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}"),
          "agents cannot grant, certify or trust themselves");
      status(operator, "{\"status\":{\"phase\":\"Revoked\",\"message\":\"still revoked\"}}");
      assertThat(
              admin
                  .genericKubernetesResources(MANDATES)
                  .inNamespace("status")
                  .withName("planner")
                  .get()
                  .<Object>get("status", "phase"))
          .isEqualTo("Revoked");
    }
  }
}
