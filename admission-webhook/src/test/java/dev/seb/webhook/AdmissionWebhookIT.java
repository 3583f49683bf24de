package dev.seb.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.SebKeys;
import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.ground.SelfSignedTls;
import dev.seb.testing.Cluster;
import dev.seb.testing.QuarkusClusterResource;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * The webhook as the API server meets it: served over HTTPS on loopback, registered through {@code
 * url:} configurations, called by a real kube-apiserver for real identities with real RBAC. Agents
 * are driven with the real kubectl, as users meet it.
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
@io.quarkus.test.junit.TestProfile(AdmissionWebhookIT.OwnApplication.class)
class AdmissionWebhookIT {

  /**
   * A profile of its own, so that this class gets an application built for it: the Kubernetes
   * client's server address is fixed when the application is first initialised, and the readiness
   * check this class tests must ask this class's API server, not that of a class run before it.
   */
  public static class OwnApplication implements io.quarkus.test.junit.QuarkusTestProfile {}

  private static final String AGENT = "system:serviceaccount:agents:planner";
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final ResourceDefinitionContext PROPOSALS =
      crd("mutationproposals", "MutationProposal");
  private static final ResourceDefinitionContext MANDATES = crd("mandates", "Mandate");
  private static final ResourceDefinitionContext RECORDS =
      crd("executionrecords", "ExecutionRecord");

  Cluster cluster;
  SelfSignedTls tls;
  WebhookTlsResource.TlsFiles tlsFiles;

  @TestHTTPResource(value = "/", tls = true)
  URL base;

  private static boolean ready;
  private static KubernetesClient admin;
  private static Path agentKubeconfig;
  private static String agentToken;
  private static String execToken;
  private static String brokerToken;
  private static String controllerToken;

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
    for (String ns : List.of("shop", "free", "seb-system", "agents", "closed")) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    for (String ns : List.of("shop", "free", "closed")) {
      admin.apps().deployments().inNamespace(ns).resource(deployment(ns)).create();
      admin
          .configMaps()
          .inNamespace(ns)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("settings")
                  .withNamespace(ns)
                  .endMetadata()
                  .addToData("mode", "calm")
                  .build())
          .create();
    }
    agentToken = account("agents", "planner", List.of("shop", "free", "closed"));
    execToken = account("seb-system", "seb-exec-test", List.of("shop", "closed", "free"));
    brokerToken = account("seb-system", "seb-broker", List.of("shop"));
    controllerToken = account("kube-system", "deployment-controller", List.of("shop", "closed"));
    admin.resource(mandate()).create();

    String url = base.toString().replace("localhost", "127.0.0.1");
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(validating("seb-protected", url + "validate/protected", SebKeys.PROTECTED))
        .create();
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(
            asDeployed(
                validating(
                    "seb-test-closed",
                    "https://127.0.0.1:1/validate/protected",
                    "seb.dev/test-closed")))
        .create();
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
                .withFailurePolicy("Fail")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(5)
                .endWebhook()
                .build())
        .create();
    admin
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(
            new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName("seb-proposals")
                .endMetadata()
                .addNewWebhook()
                .withName("proposals.seb.dev")
                .withNewClientConfig()
                .withUrl(url + "mutate/proposals")
                .withCaBundle(tls.caBundle())
                .endClientConfig()
                .withRules(
                    new RuleWithOperationsBuilder()
                        .withOperations("CREATE")
                        .withApiGroups("seb.dev")
                        .withApiVersions("*")
                        .withResources("mutationproposals")
                        .build())
                .withFailurePolicy("Fail")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(5)
                .endWebhook()
                .build())
        .create();
    // RBAC the tests need, before protection: the broker may mint, oncall may break glass
    admin
        .rbac()
        .roles()
        .inNamespace("shop")
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("broker-mints")
                .endMetadata()
                .withRules(
                    new PolicyRuleBuilder()
                        .withApiGroups("rbac.authorization.k8s.io")
                        .withResources("roles", "rolebindings")
                        .withVerbs("create", "delete", "escalate", "bind")
                        .build())
                .build())
        .create();
    admin
        .rbac()
        .roleBindings()
        .inNamespace("shop")
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("broker-mints")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "broker-mints")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("seb-broker")
                .withNamespace("seb-system")
                .endSubject()
                .build())
        .create();
    admin
        .rbac()
        .roleBindings()
        .inNamespace("shop")
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("oncall")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "edit-agents-planner")
                .addNewSubject()
                .withKind("User")
                .withName("oncall")
                .endSubject()
                .build())
        .create();
    // label last: from here on the namespaces are protected
    admin
        .namespaces()
        .withName("shop")
        .edit(
            n -> {
              n.getMetadata().getLabels().put(SebKeys.PROTECTED, "true");
              return n;
            });
    admin
        .namespaces()
        .withName("closed")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("seb.dev/test-closed", "true");
              return n;
            });

    agentKubeconfig = kubeconfig(agentToken);
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                assertThat(
                        kubectl(
                                agentKubeconfig,
                                "scale",
                                "deployment/web",
                                "--replicas=3",
                                "-n",
                                "shop")
                            .output())
                    .contains("protected by seb"));
    ready = true;
  }

  private static io.fabric8.kubernetes.api.model.apps.Deployment deployment(String ns) {
    return dev.seb.ground.WebDeployment.of(ns, "registry.example/shop/web:1.4.2");
  }

  /**
   * A ServiceAccount with broad edit rights in the namespaces, so that only admission stands in its
   * way.
   */
  private static String account(String ns, String name, List<String> editIn) {
    admin
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    for (String target : editIn) {
      String role = "edit-" + ns + "-" + name;
      admin
          .rbac()
          .roles()
          .inNamespace(target)
          .resource(
              new RoleBuilder()
                  .withNewMetadata()
                  .withName(role)
                  .endMetadata()
                  .withRules(
                      new PolicyRuleBuilder()
                          .withApiGroups("apps")
                          .withResources("deployments", "deployments/scale", "deployments/status")
                          .withVerbs("get", "list", "patch", "update", "delete")
                          .build(),
                      new PolicyRuleBuilder()
                          .withApiGroups("")
                          .withResources("configmaps")
                          .withVerbs("get", "list", "patch", "update", "delete")
                          .build(),
                      new PolicyRuleBuilder()
                          .withApiGroups("seb.dev")
                          .withResources("*")
                          .withVerbs("get", "list", "create", "patch", "update", "delete")
                          .build())
                  .build())
          .create();
      admin
          .rbac()
          .roleBindings()
          .inNamespace(target)
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName(role)
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "Role", role)
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName(name)
                  .withNamespace(ns)
                  .endSubject()
                  .build())
          .create();
    }
    return admin
        .serviceAccounts()
        .inNamespace(ns)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  private static GenericKubernetesResource mandate() {
    return admin
        .getKubernetesSerialization()
        .unmarshal(
            """
        apiVersion: seb.dev/v1alpha1
        kind: Mandate
        metadata: {name: planner, namespace: shop}
        spec:
          principal: {subject: alice}
          agent: {serviceAccount: agents/planner}
          scope: [{contractRef: scale-web}]
          lifecycle: {notAfter: "2099-01-01T00:00:00Z"}
        """,
            GenericKubernetesResource.class);
  }

  /** The registration with the match conditions seb deploys it with. */
  private static io.fabric8.kubernetes.api.model.admissionregistration.v1
          .ValidatingWebhookConfiguration
      asDeployed(
          io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration
              registration) {
    registration
        .getWebhooks()
        .get(0)
        .setMatchConditions(
            AdmissionPolicy.defaults().webhookMatchConditions().entrySet().stream()
                .map(
                    c ->
                        new io.fabric8.kubernetes.api.model.admissionregistration.v1
                                .MatchConditionBuilder()
                            .withName(c.getKey())
                            .withExpression(c.getValue())
                            .build())
                .toList());
    return registration;
  }

  private io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration
      validating(String name, String url, String label) {
    return new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addNewWebhook()
        .withName(name + ".seb.dev")
        .withNewClientConfig()
        .withUrl(url)
        .withCaBundle(tls.caBundle())
        .endClientConfig()
        .withRules(dev.seb.contracts.admission.BoundaryRegistrations.protectedRules())
        .withNewNamespaceSelector()
        .addToMatchLabels(label, "true")
        .endNamespaceSelector()
        .withFailurePolicy("Fail")
        .withSideEffects("NoneOnDryRun")
        .withAdmissionReviewVersions("v1")
        .withTimeoutSeconds(5)
        .endWebhook()
        .build();
  }

  private Path kubeconfig(String token) throws Exception {
    io.fabric8.kubernetes.client.Config config = cluster.adminConfig();
    String ca =
        config.getCaCertData() != null
            ? config.getCaCertData()
            : java.util.Base64.getEncoder()
                .encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    Path file = Files.createTempFile("seb-agent", ".kubeconfig");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: seb, cluster: {server: "%s", certificate-authority-data: "%s"}}]
        users: [{name: agent, user: {token: "%s"}}]
        contexts: [{name: agent, context: {cluster: seb, user: agent}}]
        current-context: agent
        """
            .formatted(config.getMasterUrl(), ca, token));
    return file;
  }

  record Result(int exit, String output) {}

  private static Result kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                TestGround.kubernetesBinaries().resolve("kubectl").toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--cache-dir",
                kubeconfig + ".cache"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  private KubernetesClient as(String token) {
    return cluster.newTokenClient(token);
  }

  private static final String SCALE_TO_4 = "{\"spec\":{\"replicas\":4}}";

  @Test
  @Order(1)
  void agentWithKubectl_isDeniedOnProtectedDeploymentsAndConfigMaps_withTheMessage()
      throws Exception {
    for (String[] args :
        List.of(
            new String[] {"scale", "deployment/web", "--replicas=5", "-n", "shop"},
            new String[] {
              "patch", "deployment/web", "-n", "shop", "--type=merge", "-p", SCALE_TO_4
            },
            new String[] {
              "patch",
              "configmap/settings",
              "-n",
              "shop",
              "--type=merge",
              "-p",
              "{\"data\":{\"mode\":\"wild\"}}"
            },
            new String[] {"delete", "configmap/settings", "-n", "shop"},
            new String[] {"delete", "deployment/web", "-n", "shop"})) {
      Result result = kubectl(agentKubeconfig, args);
      assertThat(result.exit()).as(String.join(" ", args)).isNotZero();
      assertThat(result.output())
          .contains("denied the request", AGENT, "protected by seb", "MutationProposal");
    }
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace("shop")
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
    assertThat(admin.configMaps().inNamespace("shop").withName("settings").get().getData())
        .containsEntry("mode", "calm");
  }

  @Test
  @Order(2)
  void brokerMintedIdentity_isAllowed_butTheBrokersOwnIsDenied() {
    try (KubernetesClient exec = as(execToken);
        KubernetesClient broker = as(brokerToken)) {
      exec.apps()
          .deployments()
          .inNamespace("shop")
          .withName("web")
          .patch(PatchContext.of(PatchType.JSON_MERGE), SCALE_TO_4);
      assertThat(
              admin
                  .apps()
                  .deployments()
                  .inNamespace("shop")
                  .withName("web")
                  .get()
                  .getSpec()
                  .getReplicas())
          .isEqualTo(4);
      assertThatThrownBy(
              () ->
                  broker
                      .apps()
                      .deployments()
                      .inNamespace("shop")
                      .withName("web")
                      .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":6}}"))
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getMessage()).contains("the broker's own identity never mutates"));
    }
  }

  @Test
  @Order(3)
  void unprotectedNamespace_isUntouched() throws Exception {
    Result result =
        kubectl(agentKubeconfig, "scale", "deployment/web", "--replicas=3", "-n", "free");
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace("free")
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
  }

  @Test
  @Order(4)
  void theClustersControllersPass_butStatusIsNotExemptForAgents() {
    try (KubernetesClient controller = as(controllerToken);
        KubernetesClient agent = as(agentToken)) {
      controller
          .apps()
          .deployments()
          .inNamespace("shop")
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"annotations\":{\"controller\":\"touched\"}}}");
      // an agent that marks a workload's status takes a service down: status is not exempt
      assertThatThrownBy(
              () ->
                  agent
                      .apps()
                      .deployments()
                      .inNamespace("shop")
                      .withName("web")
                      .subresource("status")
                      .patch(
                          PatchContext.of(PatchType.JSON_MERGE),
                          "{\"status\":{\"observedGeneration\":1}}"))
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getMessage()).contains("protected by seb"));
    }
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace("shop")
                .withName("web")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry("controller", "touched");
  }

  @Test
  @Order(5)
  void forgedSubmitter_isOverwrittenWithTheRealCreator_andCannotBeChangedLater() {
    try (KubernetesClient agent = as(agentToken)) {
      GenericKubernetesResource proposal =
          admin
              .getKubernetesSerialization()
              .unmarshal(
                  """
          apiVersion: seb.dev/v1alpha1
          kind: MutationProposal
          metadata: {name: forged, namespace: shop, annotations: {seb.dev/submitted-by: alice}}
          spec: {mandateRef: planner, contractRef: scale-web, operation: {type: scale, replicas: 3}}
          """,
                  GenericKubernetesResource.class);
      GenericKubernetesResource stored =
          agent
              .genericKubernetesResources(PROPOSALS)
              .inNamespace("shop")
              .resource(proposal)
              .create();
      assertThat(stored.getMetadata().getAnnotations()).containsEntry(SebKeys.SUBMITTED_BY, AGENT);
      assertThatThrownBy(
              () ->
                  agent
                      .genericKubernetesResources(PROPOSALS)
                      .inNamespace("shop")
                      .withName("forged")
                      .edit(
                          p -> {
                            p.getMetadata().getAnnotations().put(SebKeys.SUBMITTED_BY, "alice");
                            return p;
                          }))
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getMessage()).contains("cannot be changed"));
    }
  }

  @Test
  @Order(6)
  void agent_cannotEditItsMandate_norWriteARecord() {
    try (KubernetesClient agent = as(agentToken)) {
      assertThatThrownBy(
              () ->
                  agent
                      .genericKubernetesResources(MANDATES)
                      .inNamespace("shop")
                      .withName("planner")
                      .edit(
                          m -> {
                            ((Map<String, Object>) m.getAdditionalProperties().get("spec"))
                                .put("scope", List.of(Map.of("contractRef", "everything")));
                            return m;
                          }))
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e ->
                  assertThat(e.getMessage())
                      .contains("agents cannot grant, certify or trust themselves"));
      GenericKubernetesResource record =
          admin
              .getKubernetesSerialization()
              .unmarshal(
                  """
          apiVersion: seb.dev/v1alpha1
          kind: ExecutionRecord
          metadata: {name: fake, namespace: shop}
          spec: {chain: broker-0, sequence: 0, kind: outcome, digest: "sha256:00", jws: "a.b.c"}
          """,
                  GenericKubernetesResource.class);
      assertThatThrownBy(
              () ->
                  agent
                      .genericKubernetesResources(RECORDS)
                      .inNamespace("shop")
                      .resource(record)
                      .create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getMessage()).contains("only the broker"));
    }
  }

  @Test
  @Order(6)
  void broker_mayMintExecutionRbacInAProtectedNamespace_butNoOtherRbac() {
    var minted =
        new RoleBuilder()
            .withNewMetadata()
            .withName("seb-exec-abc")
            .endMetadata()
            .withRules(
                new PolicyRuleBuilder()
                    .withApiGroups("apps")
                    .withResources("deployments/scale")
                    .withResourceNames("web")
                    .withVerbs("patch")
                    .build())
            .build();
    try (KubernetesClient broker = as(brokerToken)) {
      await()
          .atMost(SOON)
          .untilAsserted(
              () ->
                  assertThat(broker.rbac().roles().inNamespace("shop").resource(minted).create())
                      .isNotNull());
      broker
          .rbac()
          .roleBindings()
          .inNamespace("shop")
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("seb-exec-abc")
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "Role", "seb-exec-abc")
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName("seb-exec-abc")
                  .withNamespace("seb-system")
                  .endSubject()
                  .build())
          .create();
      assertThatThrownBy(
              () ->
                  broker
                      .rbac()
                      .roleBindings()
                      .inNamespace("shop")
                      .resource(
                          new RoleBindingBuilder()
                              .withNewMetadata()
                              .withName("seb-exec-evil")
                              .endMetadata()
                              .withNewRoleRef("rbac.authorization.k8s.io", "Role", "seb-exec-abc")
                              .addNewSubject()
                              .withKind("ServiceAccount")
                              .withName("planner")
                              .withNamespace("agents")
                              .endSubject()
                              .build())
                      .create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getMessage()).contains("the broker's own identity"));
      assertThatThrownBy(
              () ->
                  broker
                      .rbac()
                      .roles()
                      .inNamespace("shop")
                      .resource(
                          new RoleBuilder(minted)
                              .editMetadata()
                              .withName("not-minted")
                              .endMetadata()
                              .build())
                      .create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getMessage()).contains("the broker's own identity"));
      broker.rbac().roleBindings().inNamespace("shop").withName("seb-exec-abc").delete();
      broker.rbac().roles().inNamespace("shop").withName("seb-exec-abc").delete();
    }
  }

  @Test
  @Order(7)
  void unreachableWebhook_failsClosed_butNotForWhatItWouldAdmitPlainly() {
    try (KubernetesClient agent = as(agentToken);
        KubernetesClient controller = as(controllerToken);
        KubernetesClient exec = as(execToken)) {
      assertThatThrownBy(
              () ->
                  agent
                      .apps()
                      .deployments()
                      .inNamespace("closed")
                      .withName("web")
                      .patch(PatchContext.of(PatchType.JSON_MERGE), SCALE_TO_4))
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getMessage()).contains("failed calling webhook"));
      assertThat(replicas("closed")).isEqualTo(2);
      // the match conditions keep the cluster's controllers and seb's executions independent of
      // the webhook being up: the API server does not call it for them
      controller
          .apps()
          .deployments()
          .inNamespace("closed")
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"annotations\":{\"controller\":\"touched\"}}}");
      exec.apps()
          .deployments()
          .inNamespace("closed")
          .withName("web")
          .patch(PatchContext.of(PatchType.JSON_MERGE), SCALE_TO_4);
    }
    assertThat(replicas("closed")).isEqualTo(4);
  }

  private int replicas(String namespace) {
    return admin
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName("web")
        .get()
        .getSpec()
        .getReplicas();
  }

  /**
   * Break-glass is allowed only once the broker has stored its signed record. Here the broker
   * cannot be reached (the test configuration points the webhook at a closed port), so on-call's
   * write is denied, saying why, and nothing changes; the webhook sends its own ServiceAccount
   * token, which it has.
   */
  @Test
  @Order(8)
  void breakGlass_withTheBrokerUnreachable_isDenied_becauseItCannotBeRecorded() throws Exception {
    String webhookToken = account("seb-system", "seb-admission-webhook", List.of());
    Path tokenFile = Path.of("target", "seb-webhook-notice-token");
    Files.createDirectories(tokenFile.getParent());
    Files.writeString(tokenFile, webhookToken);
    io.fabric8.kubernetes.client.Config config = cluster.adminConfig();
    config.setImpersonateUsername("oncall");
    config.setImpersonateGroups("seb:break-glass");
    try (KubernetesClient oncall =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
      assertThatThrownBy(
              () ->
                  oncall
                      .configMaps()
                      .inNamespace("shop")
                      .withName("settings")
                      .patch(
                          PatchContext.of(PatchType.JSON_MERGE),
                          "{\"data\":{\"mode\":\"incident\"}}"))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("seb break-glass: denied because seb could not record it")
          .hasMessageContaining("the broker cannot be reached");
    }
    assertThat(admin.configMaps().inNamespace("shop").withName("settings").get().getData())
        .containsEntry("mode", "calm");
  }

  /**
   * Benchmark, not a check of speed: the same write by the same identity through the API server, in
   * a protected namespace (the webhook is called) and an unprotected one (it is not), interleaved
   * in one run. Reports p50/p99 of both and the added latency.
   */
  @Test
  @Order(50)
  @org.junit.jupiter.api.Tag("benchmark")
  void benchmark_addedLatencyOfAProtectedWrite() {
    int rounds = Integer.getInteger("seb.bench.rounds", 1000);
    int warmUp = Integer.getInteger("seb.bench.warmup", 500);
    long[] guarded = new long[rounds];
    long[] plain = new long[rounds];
    try (KubernetesClient exec = as(execToken)) {
      for (int i = -warmUp; i < rounds; i++) { // negative rounds warm up
        String body = "{\"data\":{\"round\":\"" + i + "\"}}";
        long t0 = System.nanoTime();
        exec.configMaps()
            .inNamespace("shop")
            .withName("settings")
            .patch(PatchContext.of(PatchType.JSON_MERGE), body);
        long t1 = System.nanoTime();
        exec.configMaps()
            .inNamespace("free")
            .withName("settings")
            .patch(PatchContext.of(PatchType.JSON_MERGE), body);
        long t2 = System.nanoTime();
        if (i >= 0) {
          guarded[i] = t1 - t0;
          plain[i] = t2 - t1;
        }
      }
    }
    java.util.Arrays.sort(guarded);
    java.util.Arrays.sort(plain);
    double g50 = guarded[rounds / 2] / 1e6, g99 = guarded[(int) (rounds * 0.99)] / 1e6;
    double p50 = plain[rounds / 2] / 1e6, p99 = plain[(int) (rounds * 0.99)] / 1e6;
    System.out.printf(
        "%n[seb benchmark] protected write via webhook: p50 %.2f ms p99 %.2f ms | unprotected: p50 %.2f ms p99 %.2f ms | added p50 %.2f ms p99 %.2f ms | ratio p50 %.2f | %d rounds, load %s, %d cores%n",
        g50,
        g99,
        p50,
        p99,
        g50 - p50,
        g99 - p99,
        g50 / p50,
        rounds,
        loadAverage(),
        Runtime.getRuntime().availableProcessors());
    assertThat(admin.configMaps().inNamespace("shop").withName("settings").get().getData())
        .containsEntry("round", String.valueOf(rounds - 1));
  }

  private static String loadAverage() {
    try {
      return String.join(
          " ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
    } catch (java.io.IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** Rotating the mounted certificate needs no restart; runs late because the CA changes. */
  @Test
  @Order(99)
  void rotatedCertificate_isServedWithoutARestart() throws Exception {
    assertThat(servedCertificate()).isEqualTo(certificateOf(tls.certificatePem()));
    SelfSignedTls rotated = SelfSignedTls.generate("seb-test-webhook");
    tlsFiles.rotate(rotated);
    await()
        .atMost(SOON)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(servedCertificate()).isEqualTo(certificateOf(rotated.certificatePem())));
  }

  private java.security.cert.Certificate servedCertificate() throws Exception {
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(
        null,
        new javax.net.ssl.TrustManager[] {
          new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(
                java.security.cert.X509Certificate[] chain, String authType) {}

            public void checkServerTrusted(
                java.security.cert.X509Certificate[] chain, String authType) {}

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
              return new java.security.cert.X509Certificate[0];
            }
          }
        },
        null);
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket)
            context.getSocketFactory().createSocket("127.0.0.1", base.getPort())) {
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  private static java.security.cert.Certificate certificateOf(String pem) throws Exception {
    return java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(
            new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * The webhook is ready while its registration agrees with its policy, and not ready once the
   * registration carries a match condition its policy does not produce (as the defaults would under
   * a webhook configured with fewer exempt users): the API server would skip requests the webhook
   * decides.
   */
  @Test
  @Order(98)
  void aRegistrationThatWouldSkipWhatThePolicyDecides_makesTheWebhookNotReady() {
    var registrations = admin.admissionRegistration().v1().validatingWebhookConfigurations();
    var original = registrations.withName("seb-protected").get();
    var deployed =
        asDeployed(validating("seb-protected", "https://127.0.0.1:1/", SebKeys.PROTECTED));
    try {
      registrations.withName("seb-protected").delete();
      await()
          .atMost(SOON)
          .ignoreExceptions()
          .until(() -> registrations.resource(deployed).create() != null);
      // the check asks the API server with a 2 s timeout: under load, one answer may come late
      await()
          .atMost(SOON)
          .untilAsserted(
              () -> {
                var ready = readiness();
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.jsonPath().getString("checks[0].data.seb-protected"))
                    .isEqualTo("agrees with this webhook's policy");
              });

      registrations
          .withName("seb-protected")
          .edit(
              r -> {
                r.getWebhooks()
                    .get(0)
                    .getMatchConditions()
                    .add(
                        new io.fabric8.kubernetes.api.model.admissionregistration.v1
                                .MatchConditionBuilder()
                            .withName("not-a-friend")
                            .withExpression("request.userInfo.username != 'mallory'")
                            .build());
                return r;
              });
      await()
          .atMost(SOON)
          .untilAsserted(
              () -> {
                var ready = readiness();
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.jsonPath().getString("checks[0].data.problems"))
                    .contains("seb-protected match condition not-a-friend is not one");
              });

      // the list of kinds protection used to be: everything else would skip the webhook
      registrations
          .withName("seb-protected")
          .edit(
              r -> {
                r.getWebhooks()
                    .get(0)
                    .getMatchConditions()
                    .removeIf(c -> c.getName().equals("not-a-friend"));
                r.getWebhooks()
                    .get(0)
                    .setRules(
                        List.of(
                            new RuleWithOperationsBuilder()
                                .withOperations("CREATE", "UPDATE", "DELETE")
                                .withApiGroups("apps", "")
                                .withApiVersions("*")
                                .withResources("deployments", "configmaps", "pods")
                                .build()));
                return r;
              });
      await()
          .atMost(SOON)
          .untilAsserted(
              () -> {
                var ready = readiness();
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.jsonPath().getString("checks[0].data.problems"))
                    .contains("seb-protected does not send CONNECT of every resource")
                    .contains("does not send CREATE of every subresource in every group");
              });
    } finally {
      registrations.withName("seb-protected").delete();
      original.getMetadata().setResourceVersion(null);
      original.getMetadata().setUid(null);
      original.getMetadata().setManagedFields(null);
      original.getMetadata().setCreationTimestamp(null);
      original.getMetadata().setGeneration(null);
      await()
          .atMost(SOON)
          .ignoreExceptions()
          .until(() -> registrations.resource(original).create() != null);
    }
  }

  private static io.restassured.response.Response readiness() {
    return io.restassured.RestAssured.given().when().get("/q/health/ready");
  }

  @Test
  @Order(100)
  void withTheWebhookGone_theAdmissionPolicyStillKeepsAgentsOut() throws Exception {
    try (InputStream in =
        dev.seb.testing.TestGround.chartTemplate("validating-admission-policy.yaml")) {
      admin.load(in).serverSideApply();
    }
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName("seb-protected")
        .delete();
    await()
        .atMost(SOON)
        .untilAsserted(
            () -> {
              Result result =
                  kubectl(agentKubeconfig, "scale", "deployment/web", "--replicas=6", "-n", "shop");
              assertThat(result.exit()).isNotZero();
              assertThat(result.output()).contains("seb-broker-only", "create a MutationProposal");
            });
    try (KubernetesClient exec = as(execToken)) {
      exec.apps()
          .deployments()
          .inNamespace("shop")
          .withName("web")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":5}}");
    }
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace("shop")
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(5);
  }
}
