package dev.seb.contracts.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.testing.ClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The committed CRDs on a real API server: they install, the API server itself refuses bad objects
 * with the CEL and schema messages (a mandate's principal, agent and parent never change, its
 * revocation stays, name references are object names, whoever writes), the round trip keeps a
 * contract's digest, and kubectl sees the short names, category and columns.
 */
class CrdIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String NS = "shop";

  @BeforeAll
  static void installCrds() throws IOException {
    kube.cluster().installCrds(Path.of("..", "crds"));
    KubernetesClient admin = kube.admin();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  private static ResourceDefinitionContext context(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("seb.dev")
        .withVersion("v1alpha1")
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(true)
        .build();
  }

  private static GenericKubernetesResource create(String plural, String kind, String yaml) {
    GenericKubernetesResource object =
        kube.admin().getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    return kube.admin()
        .genericKubernetesResources(context(plural, kind))
        .inNamespace(NS)
        .resource(object)
        .create();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = CrdIT.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void contractRoundTrip_keepsTheDigestTheSabCertified() throws IOException {
    String yaml = resource("contract-as-written.yaml");
    String certified = Digests.contract(YAML.readTree(yaml).get("spec"));

    create("executioncontracts", "ExecutionContract", yaml);
    GenericKubernetesResource stored =
        kube.admin()
            .genericKubernetesResources(context("executioncontracts", "ExecutionContract"))
            .inNamespace(NS)
            .withName("scale-web")
            .get();
    JsonNode storedSpec =
        CanonicalJson.mapper().valueToTree(stored.getAdditionalProperties().get("spec"));

    assertThat(Digests.contract(storedSpec)).isEqualTo(certified);
    // and the typed model reads it back without losing or adding anything the digest covers
    ExecutionContract typed =
        kube.admin().resources(ExecutionContract.class).inNamespace(NS).withName("scale-web").get();
    assertThat(Digests.contract(CanonicalJson.mapper().valueToTree(typed.getSpec())))
        .isEqualTo(certified);
  }

  @Test
  void createContractRoundTrip_keepsTheDigestOfItsManifest() throws IOException {
    String yaml = resource("create-contract-as-written.yaml");
    String certified = Digests.contract(YAML.readTree(yaml).get("spec"));

    create("executioncontracts", "ExecutionContract", yaml);
    GenericKubernetesResource stored =
        kube.admin()
            .genericKubernetesResources(context("executioncontracts", "ExecutionContract"))
            .inNamespace(NS)
            .withName("create-report")
            .get();
    JsonNode storedSpec =
        CanonicalJson.mapper().valueToTree(stored.getAdditionalProperties().get("spec"));

    assertThat(Digests.contract(storedSpec)).isEqualTo(certified);
    ExecutionContract typed =
        kube.admin()
            .resources(ExecutionContract.class)
            .inNamespace(NS)
            .withName("create-report")
            .get();
    assertThat(Digests.contract(CanonicalJson.mapper().valueToTree(typed.getSpec())))
        .isEqualTo(certified);
  }

  @Test
  void createOperationWithoutManifest_isRefused_nothingMayBeCreated() {
    String yaml =
        """
        apiVersion: seb.dev/v1alpha1
        kind: ExecutionContract
        metadata: {name: create-anything}
        spec:
          target: {kubernetes: {apiVersion: v1, kind: Pod, namespace: shop, name: report}}
          operations: [{type: create}]
        """;
    assertRefused(
        () -> create("executioncontracts", "ExecutionContract", yaml),
        "spec.operations[0]",
        "a create operation needs manifest");
  }

  @Test
  void manifestOnAnotherOperation_isRefused() {
    String yaml =
        """
        apiVersion: seb.dev/v1alpha1
        kind: ExecutionContract
        metadata: {name: scale-with-manifest}
        spec:
          target: {kubernetes: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}}
          operations: [{type: scale, manifest: {kind: Deployment}}]
        """;
    assertRefused(
        () -> create("executioncontracts", "ExecutionContract", yaml),
        "manifest belongs to a create operation only");
  }

  @Test
  void mandateWithEmptyScope_isRefusedByTheApiServer() {
    String yaml =
        """
        apiVersion: seb.dev/v1alpha1
        kind: Mandate
        metadata: {name: empty-scope}
        spec:
          principal: {subject: alice}
          agent: {serviceAccount: agents/planner}
          scope: []
          lifecycle: {notAfter: "2027-01-01T00:00:00Z"}
        """;
    assertRefused(
        () -> create("mandates", "Mandate", yaml), "spec.scope", "should have at least 1 items");
  }

  @Test
  void contractWithMinAboveMaxReplicas_isRefusedWithTheRuleMessage() {
    String yaml =
        """
        apiVersion: seb.dev/v1alpha1
        kind: ExecutionContract
        metadata: {name: inverted}
        spec:
          target: {kubernetes: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}}
          operations:
            - type: scale
              constraints: {minReplicas: 6, maxReplicas: 2}
        """;
    assertRefused(
        () -> create("executioncontracts", "ExecutionContract", yaml),
        "minReplicas must not be greater than maxReplicas");
  }

  @Test
  void unknownOperationType_isRefused() {
    String yaml =
        """
        apiVersion: seb.dev/v1alpha1
        kind: ExecutionContract
        metadata: {name: unknown-op}
        spec:
          target: {kubernetes: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}}
          operations: [{type: exec}]
        """;
    assertRefused(
        () -> create("executioncontracts", "ExecutionContract", yaml),
        "spec.operations[0].type",
        "Unsupported value: \"exec\"");
  }

  @Test
  void scaleProposalWithoutReplicas_isRefused() {
    assertRefused(
        () ->
            create(
                "mutationproposals", "MutationProposal", proposal("no-replicas", "{type: scale}")),
        "a scale operation needs replicas");
  }

  @Test
  void proposalSpec_isImmutable() {
    create(
        "mutationproposals",
        "MutationProposal",
        proposal("immutable", "{type: scale, replicas: 3}"));
    assertRefused(
        () ->
            kube.admin()
                .genericKubernetesResources(context("mutationproposals", "MutationProposal"))
                .inNamespace(NS)
                .withName("immutable")
                .edit(
                    p -> {
                      @SuppressWarnings("unchecked")
                      Map<String, Object> op =
                          (Map<String, Object>)
                              ((Map<String, Object>) p.getAdditionalProperties().get("spec"))
                                  .get("operation");
                      op.put("replicas", 6);
                      return p;
                    }),
        "MutationProposal spec is immutable");
  }

  @Test
  void recordSpec_isImmutable() {
    create(
        "executionrecords",
        "ExecutionRecord",
        """
        apiVersion: seb.dev/v1alpha1
        kind: ExecutionRecord
        metadata: {name: rec-0}
        spec: {chain: broker-0, sequence: 0, kind: denial, digest: "sha256:00", jws: "a.b.c"}
        """);
    assertRefused(
        () ->
            kube.admin()
                .genericKubernetesResources(context("executionrecords", "ExecutionRecord"))
                .inNamespace(NS)
                .withName("rec-0")
                .edit(
                    r -> {
                      @SuppressWarnings("unchecked")
                      Map<String, Object> spec =
                          (Map<String, Object>) r.getAdditionalProperties().get("spec");
                      spec.put("kind", "outcome");
                      return r;
                    }),
        "ExecutionRecord spec is immutable");
  }

  @Test
  void mandateWho_andFromWhich_isImmutable_andARevocationStays_evenForAnAdmin() {
    create(
        "mandates",
        "Mandate",
        """
        apiVersion: seb.dev/v1alpha1
        kind: Mandate
        metadata: {name: fixed}
        spec:
          principal: {subject: alice}
          agent: {serviceAccount: agents/planner}
          scope: [{contractRef: scale-web}]
          lifecycle: {notAfter: "2027-01-01T00:00:00Z"}
          parentRef: root-grant
        """);
    assertRefused(
        () ->
            editMandateSpec("fixed", s -> s.put("agent", Map.of("serviceAccount", "agents/mine"))),
        "Mandate spec.agent is immutable");
    assertRefused(
        () -> editMandateSpec("fixed", s -> s.put("principal", Map.of("subject", "mallory"))),
        "Mandate spec.principal is immutable");
    assertRefused(
        () -> editMandateSpec("fixed", s -> s.remove("parentRef")),
        "Mandate spec.parentRef is immutable");
    editMandateSpec(
        "fixed", s -> s.put("revocation", Map.of("requestedBy", "root", "reason", "incident")));
    assertRefused(
        () -> editMandateSpec("fixed", s -> s.remove("revocation")),
        "Mandate spec.revocation is write-once");
    assertRefused(
        () ->
            editMandateSpec(
                "fixed",
                s -> s.put("revocation", Map.of("requestedBy", "alice", "reason", "oops"))),
        "Mandate spec.revocation is write-once");
    // what may change still changes: an earlier end
    editMandateSpec("fixed", s -> s.put("lifecycle", Map.of("notAfter", "2026-06-01T00:00:00Z")));
  }

  /**
   * The rules that keep a spec immutable sit under {@code spec}: removing the whole spec would skip
   * them, and a new spec (another principal, no revocation) could be added after. Every seb kind
   * requires its spec, so neither step gets through, for anyone.
   */
  @Test
  void theSpec_cannotBeRemoved_soItsRulesCannotBeSkipped() {
    create(
        "mandates",
        "Mandate",
        """
        apiVersion: seb.dev/v1alpha1
        kind: Mandate
        metadata: {name: unremovable}
        spec:
          principal: {subject: alice}
          agent: {serviceAccount: agents/planner}
          scope: [{contractRef: scale-web}]
          lifecycle: {notAfter: "2027-01-01T00:00:00Z"}
          revocation: {requestedBy: root, reason: incident}
        """);
    create(
        "mutationproposals",
        "MutationProposal",
        proposal("unremovable", "{type: scale, replicas: 1}"));
    for (String[] kind :
        List.of(
            new String[] {"mandates", "Mandate"},
            new String[] {"mutationproposals", "MutationProposal"})) {
      assertRefused(
          () ->
              kube.admin()
                  .genericKubernetesResources(context(kind[0], kind[1]))
                  .inNamespace(NS)
                  .withName("unremovable")
                  .patch(
                      io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                          io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                      "[{\"op\": \"remove\", \"path\": \"/spec\"}]"),
          "spec");
    }
    for (String[] kind :
        List.of(
            new String[] {"executioncontracts", "ExecutionContract"},
            new String[] {"executionrecords", "ExecutionRecord"})) {
      assertRefused(
          () ->
              create(
                  kind[0],
                  kind[1],
                  """
                  apiVersion: seb.dev/v1alpha1
                  kind: %s
                  metadata: {name: no-spec}
                  """
                      .formatted(kind[1])),
          "spec");
    }
  }

  @Test
  void nameReferences_thatAreNoObjectNames_areRefused() {
    assertRefused(
        () ->
            create(
                "mutationproposals",
                "MutationProposal",
                """
                apiVersion: seb.dev/v1alpha1
                kind: MutationProposal
                metadata: {name: bad-ref}
                spec:
                  mandateRef: "../Planner"
                  contractRef: c
                  operation: {type: scale, replicas: 1}
                """),
        "spec.mandateRef",
        "should match");
    assertRefused(
        () ->
            create(
                "mutationproposals",
                "MutationProposal",
                proposal("long-ref", "{type: scale, replicas: 1}")
                    .replace("contractRef: c", "contractRef: " + "c".repeat(254))),
        "spec.contractRef",
        "253");
    assertRefused(
        () ->
            create(
                "mandates",
                "Mandate",
                """
                apiVersion: seb.dev/v1alpha1
                kind: Mandate
                metadata: {name: bad-scope-ref}
                spec:
                  principal: {subject: alice}
                  agent: {serviceAccount: agents/planner}
                  scope: [{contractRef: "Scale_Web"}]
                  lifecycle: {notAfter: "2027-01-01T00:00:00Z"}
                  parentRef: "a b"
                """),
        "spec.scope[0].contractRef",
        "spec.parentRef");
  }

  @SuppressWarnings("unchecked")
  private static void editMandateSpec(
      String name, java.util.function.Consumer<Map<String, Object>> change) {
    kube.admin()
        .genericKubernetesResources(context("mandates", "Mandate"))
        .inNamespace(NS)
        .withName(name)
        .edit(
            m -> {
              change.accept((Map<String, Object>) m.getAdditionalProperties().get("spec"));
              return m;
            });
  }

  @Test
  void kubectl_listsSebKindsByCategoryAndShortName_withTheirColumns() throws Exception {
    create(
        "mutationproposals", "MutationProposal", proposal("listed", "{type: scale, replicas: 4}"));
    Kubectl kubectl = Kubectl.asAdmin(kube.cluster());
    // discovery of new CRDs is published asynchronously
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "seb", "-n", NS))
                    .contains("mutationproposal.seb.dev/listed"));
    String byShortName = kubectl.run("get", "smp", "-n", NS);
    assertThat(byShortName.lines().findFirst().orElseThrow())
        .contains("MANDATE", "OPERATION", "DECISION", "REASON", "EXECUTED", "AGE");
    assertThat(byShortName).contains("listed", "scale");
  }

  private static String proposal(String name, String operation) {
    return """
        apiVersion: seb.dev/v1alpha1
        kind: MutationProposal
        metadata: {name: %s}
        spec:
          mandateRef: m
          contractRef: c
          operation: %s
        """
        .formatted(name, operation);
  }

  private static void assertRefused(Runnable call, String... messageParts) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains(messageParts);
            });
  }
}
