package dev.seb.broker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.seb.broker.identity.IdentityClients;
import dev.seb.broker.identity.IdentityMinter;
import dev.seb.broker.proposal.MutationProposalReconciler;
import dev.seb.broker.record.ChainLease;
import dev.seb.broker.record.RecordLog;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.record.ChainSummary;
import dev.seb.contracts.record.RecordChainVerifier;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import dev.seb.testing.Cluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * The broker in process on a real API server: an admitted scale is executed by a minted identity
 * whose token is dead afterwards, denials and drift are recorded with executed=false, and the
 * exported chain verifies under the published key.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerIT {

  private static final String NS = "shop";
  private static final String AGENT = "system:serviceaccount:agents:planner";
  private static final String IMAGE = "registry.example/shop/web:1.4.2";
  private static final Duration SOON = Duration.ofSeconds(30);
  private static TestSab sab;
  private static boolean ready;

  @Inject KubernetesClient client;
  @Inject RevokedTokens revokedTokens;
  @Inject IdentityMinter minter;
  @Inject BrokerProbe probe;
  @Inject Overtaker overtaker;
  @Inject io.micrometer.core.instrument.MeterRegistry meters;
  @Inject IdentityClients identities;
  @Inject Freezer freezer;
  @Inject Unbinder unbinder;
  @Inject RevocationBlocker revocationBlocker;
  @Inject MutationProposalReconciler running;
  @Inject BrokerConfig config;
  @Inject RecordLog records;
  Cluster cluster;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (ready) {
      return;
    }
    // the broker's namespace may exist already: the health test makes it for the chain's Lease
    BrokerTestGround.namespaces(client, NS, "seb-system");
    client.apps().deployments().inNamespace(NS).resource(BrokerTestGround.web(NS, IMAGE)).create();

    sab = TestSab.create("sab.broker.test", Clock.systemUTC());
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName("sab").build());
    anchor.setSpec(new TrustAnchorSpec(sab.sabId(), sab.rootsPem(), sab.epochStatement().sign()));
    client.resource(anchor).create();

    ObjectNode spec =
        (ObjectNode)
            CanonicalJson.mapper()
                .readTree(
                    """
        {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop", "name": "web"}},
         "operations": [{"type": "scale", "constraints": {"minReplicas": 2, "maxReplicas": 6}}],
         "preconditions": [{"path": "/spec/template/spec/containers/0/image", "equals": "%s"}],
         "reversibility": "reversible"}
        """
                        .formatted(IMAGE));
    spec.put("certificate", sab.certificate(spec, NS, "scale-web").sign());
    ExecutionContract contract = new ExecutionContract();
    contract.setMetadata(new ObjectMetaBuilder().withName("scale-web").withNamespace(NS).build());
    contract.setSpec(CanonicalJson.mapper().treeToValue(spec, ExecutionContractSpec.class));
    client.resource(contract).create();

    ObjectNode patchSpec =
        (ObjectNode)
            CanonicalJson.mapper()
                .readTree(
                    """
        {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop", "name": "web"}},
         "operations": [{"type": "patch", "constraints": {"allowedPaths": ["/spec/template/metadata/annotations/**"]}}],
         "reversibility": "reversible"}
        """);
    patchSpec.put("certificate", sab.certificate(patchSpec, NS, "annotate-web").sign());
    ExecutionContract patchContract = new ExecutionContract();
    patchContract.setMetadata(
        new ObjectMetaBuilder().withName("annotate-web").withNamespace(NS).build());
    patchContract.setSpec(
        CanonicalJson.mapper().treeToValue(patchSpec, ExecutionContractSpec.class));
    client.resource(patchContract).create();

    for (String name : List.of("doomed", "raced-cm")) {
      client
          .configMaps()
          .inNamespace(NS)
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .addToData("mode", "calm")
                  .build())
          .create();
    }
    for (String[] c :
        List.of(
            new String[] {"create-cm", "created", "create"},
            new String[] {"delete-cm", "doomed", "delete"},
            new String[] {"delete-raced", "raced-cm", "delete"},
            new String[] {"create-nowhere", "lost", "create"})) {
      ObjectNode cmSpec =
          (ObjectNode)
              CanonicalJson.mapper()
                  .readTree(
                      """
        {"target": {"kubernetes": {"apiVersion": "v1", "kind": "ConfigMap", "namespace": "%s", "name": "%s"}},
         "operations": [{"type": "%s"}], "reversibility": "reversible"}
        """
                          .formatted(
                              c[0].equals("create-nowhere") ? "no-such-namespace" : NS,
                              c[1],
                              c[2]));
      if (c[2].equals("create")) {
        // the certified ConfigMap: the proposal must carry exactly this object
        ((ObjectNode) cmSpec.get("operations").get(0))
            .set(
                "manifest",
                CanonicalJson.mapper()
                    .readTree(
                        """
                        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "%s"},
                         "data": {"mode": "calm"}}
                        """
                            .formatted(c[1])));
      }
      cmSpec.put("certificate", sab.certificate(cmSpec, NS, c[0]).sign());
      ExecutionContract cmContract = new ExecutionContract();
      cmContract.setMetadata(new ObjectMetaBuilder().withName(c[0]).withNamespace(NS).build());
      cmContract.setSpec(CanonicalJson.mapper().treeToValue(cmSpec, ExecutionContractSpec.class));
      client.resource(cmContract).create();
    }

    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName("planner").withNamespace(NS).build());
    mandate.setSpec(
        CanonicalJson.mapper()
            .readValue(
                """
        {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/planner"},
         "scope": [{"contractRef": "scale-web", "operations": ["scale"], "constraints": {"minReplicas": 2, "maxReplicas": 5}},
                   {"contractRef": "annotate-web", "operations": ["patch"]},
                   {"contractRef": "create-cm"}, {"contractRef": "delete-cm"},
                   {"contractRef": "delete-raced"}, {"contractRef": "create-nowhere"}],
         "lifecycle": {"notAfter": "2099-01-01T00:00:00Z"}}
        """,
                MandateSpec.class));
    Mandate created = client.resource(mandate).create();
    MandateStatus status = new MandateStatus();
    status.setPhase(MandateStatus.Phase.Active); // the operator's job; it does not run in this test
    status.setObservedGeneration(created.getMetadata().getGeneration());
    created.setStatus(status);
    client.resource(created).updateStatus();
    ready = true;
  }

  private MutationProposalStatus propose(String name, int replicas) {
    return propose(
        name,
        "scale-web",
        new MutationProposalSpec.Operation(
            dev.seb.contracts.v1alpha1.OperationType.SCALE,
            replicas,
            null,
            null,
            null,
            null,
            null));
  }

  private MutationProposalStatus propose(
      String name, String contract, MutationProposalSpec.Operation operation) {
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .withAnnotations(Map.of(SebKeys.SUBMITTED_BY, AGENT))
            .build()); // as the webhook stamps it
    proposal.setSpec(new MutationProposalSpec("planner", contract, operation, null, "test"));
    client.resource(proposal).create();
    return BrokerTestGround.awaitDecided(client, NS, name);
  }

  @Test
  @Order(1)
  void admittedScale_isExecutedByAMintedIdentity_whoseTokenIsDeadAfterwards() throws Exception {
    MutationProposalStatus status = propose("scale-to-4", 4);
    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    assertThat(status.getProposalDigest()).startsWith("sha256:");
    assertThat(status.getDecisionRecord()).isNotNull();
    assertThat(status.getOutcomeRecord()).isNotNull();
    // the records say which state was checked and which the write left
    JsonNode decided = payload(status.getDecisionRecord());
    JsonNode outcome = payload(status.getOutcomeRecord());
    assertThat(decided.path("preState").asText()).startsWith("sha256:");
    assertThat(outcome.path("preState").asText()).isEqualTo(decided.path("preState").asText());
    assertThat(outcome.path("postState").asText())
        .startsWith("sha256:")
        .isNotEqualTo(decided.path("preState").asText());
    assertThat(webReplicas()).isEqualTo(4);

    assertThat(executionIdentitiesLeft()).isEmpty();
    assertThat(revokedTokens.revoked).isNotEmpty();
    RevokedTokens.Revoked last = revokedTokens.revoked.get(revokedTokens.revoked.size() - 1);
    assertThat(last.username()).startsWith("system:serviceaccount:seb-system:seb-exec-");
    try (KubernetesClient dead = cluster.newTokenClient(last.token())) {
      await()
          .atMost(SOON)
          .untilAsserted(
              () ->
                  assertThatThrownBy(
                          () -> dead.apps().deployments().inNamespace(NS).withName("web").get())
                      .isInstanceOfSatisfying(
                          KubernetesClientException.class,
                          e -> assertThat(e.getCode()).isEqualTo(401)));
    }
  }

  @Test
  @Order(11)
  void admittedMergePatch_isExecutedConditionally() throws Exception {
    var patch =
        CanonicalJson.mapper()
            .readTree(
                "{\"spec\": {\"template\": {\"metadata\": {\"annotations\": {\"seb.dev/reason\": \"peak\"}}}}}");
    MutationProposalStatus status =
        propose(
            "annotate",
            "annotate-web",
            new MutationProposalSpec.Operation(
                dev.seb.contracts.v1alpha1.OperationType.PATCH,
                null,
                MutationProposalSpec.PatchType.MERGE,
                patch,
                null,
                null,
                null));
    assertThat(status.getExecuted()).as(String.valueOf(status.getReasons())).isTrue();
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("web")
                .get()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .containsEntry("seb.dev/reason", "peak");
  }

  @Test
  @Order(12)
  void changeInsideTheCheckToWriteWindow_isRefusedByTheConditionedWrite() {
    MutationProposalStatus status = propose("race", 3);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.DRIFT_DETECTED);
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getOutcomeRecord()).isNotNull();
    var deployment = client.apps().deployments().inNamespace(NS).withName("web").get();
    assertThat(deployment.getMetadata().getAnnotations()).containsEntry("raced", "true");
    assertThat(deployment.getSpec().getReplicas())
        .as("the raced write did not happen")
        .isEqualTo(4);
  }

  @Test
  @Order(20)
  void proposalOutsideTheMandate_isDeniedAndRecorded_notExecuted() {
    MutationProposalStatus status = propose("scale-to-6", 6);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(status.getExecuted()).isFalse();
    ExecutionRecord record =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(NS)
            .withName(status.getDecisionRecord())
            .get();
    assertThat(record.getSpec().kind())
        .isEqualTo(dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind.DENIAL);
    assertThat(webReplicas()).isEqualTo(4);
  }

  @Test
  @Order(30)
  void imageChangedBehindSebsBack_isDrift() {
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:latest");
              return d;
            });
    MutationProposalStatus status = propose("scale-to-3", 3);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.DRIFT_DETECTED);
    assertThat(status.getExecuted()).isFalse();
    assertThat(webReplicas()).isEqualTo(4);
  }

  @Test
  @Order(40)
  void exportedChain_verifiesUnderThePublishedKey() throws Exception {
    String jwks =
        given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
    String auditor = Tokens.clusterAuditor(client);
    String export =
        given()
            .header("Authorization", "Bearer " + auditor)
            .when()
            .get("/v1/records")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<String> chain = Arrays.stream(export.split("\n")).filter(l -> !l.isBlank()).toList();
    ChainSummary summary = RecordChainVerifier.verify(chain, JWKSet.parse(jwks), "broker-0");
    // decision + outcome for the scale, the patch and the raced scale; a denial each for scope and
    // drift (other test classes of this application add records of their own namespaces, and
    // notices, to the same chain)
    assertThat(
            summary.records().stream()
                .filter(r -> r.content().proposal() != null)
                .filter(r -> NS.equals(r.content().proposal().namespace()))
                .count())
        .isEqualTo(8);
    assertThat(
            given()
                .header("Authorization", "Bearer " + auditor)
                .when()
                .get("/v1/records?after=1")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .count())
        .isEqualTo(summary.count() - 2);
  }

  @Test
  @Order(45)
  void twoBrokers_onTheSameProposal_executeItExactlyOnce() {
    BrokerConfig second = secondBroker();
    var other = reconciler(second);
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(
        new ObjectMetaBuilder()
            .withName("twice")
            .withNamespace(NS)
            .withAnnotations(Map.of(SebKeys.SUBMITTED_BY, AGENT))
            .build());
    proposal.setSpec(
        new MutationProposalSpec(
            "planner",
            "scale-web",
            new MutationProposalSpec.Operation(
                dev.seb.contracts.v1alpha1.OperationType.SCALE, 5, null, null, null, null, null),
            null,
            "race two brokers"));
    // restore the precondition the drift test broke, then race the running broker (broker-0)
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(IMAGE);
              return d;
            });
    MutationProposal created = client.resource(proposal).create();
    // do what the Operator SDK does with the second broker's answer
    var answer = other.reconcile(created, null);
    if (answer.isPatchStatus()) {
      client.resource(answer.getResource().orElseThrow()).patchStatus();
    }
    await()
        .atMost(SOON)
        .until(
            () -> {
              MutationProposal p =
                  client.resources(MutationProposal.class).inNamespace(NS).withName("twice").get();
              return p.getStatus() != null && p.getStatus().getOutcomeRecord() != null;
            });
    String uid = created.getMetadata().getUid();
    var outcomes =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(NS)
            .withLabel(SebKeys.PROPOSAL_UID, uid)
            .list()
            .getItems()
            .stream()
            .filter(
                r ->
                    r.getSpec().kind()
                        == dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind.OUTCOME)
            .toList();
    var decisions =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(NS)
            .withLabel(SebKeys.PROPOSAL_UID, uid)
            .list()
            .getItems()
            .stream()
            .filter(
                r ->
                    r.getSpec().kind()
                        == dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind.DECISION)
            .toList();
    assertThat(decisions).hasSize(1);
    assertThat(outcomes).hasSize(1);
    assertThat(
            client
                .resources(MutationProposal.class)
                .inNamespace(NS)
                .withName("twice")
                .get()
                .getStatus()
                .getExecuted())
        .isTrue();
    assertThat(webReplicas()).isEqualTo(5);
  }

  @Test
  @Order(50)
  void decisions_areCountedByDecisionAndReason_forPrometheus() {
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains(
            "seb_broker_decisions_total{decision=\"ADMIT\",executed=\"true\",reason=\"NONE\"}")
        .contains(
            "seb_broker_decisions_total{decision=\"DENY\",executed=\"false\",reason=\"SCOPE_VIOLATION\"}")
        .contains("seb_broker_stage_seconds_count{stage=\"execute\"}")
        .contains("seb_broker_read_seconds_count{input=\"records\"}")
        // reconciler metrics per controller, never per proposal: their number would grow forever
        .contains("operator_sdk_")
        .doesNotContain("scale-to-4");
  }

  @Test
  @Order(60)
  void leftoverExecutionIdentities_areCollected() {
    var leftover =
        new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
            .withNewMetadata()
            .withName("seb-exec-leftover")
            .withLabels(Map.of(SebKeys.EXECUTION_IDENTITY, "true"))
            .endMetadata()
            .build();
    client.serviceAccounts().inNamespace("seb-system").resource(leftover).create();
    // a leftover is one older than any execution; the collector judges age by creationTimestamp
    int removed = minter.collectGarbage(java.time.Instant.now().plusSeconds(5));
    assertThat(removed).isEqualTo(1);
    assertThat(
            client.serviceAccounts().inNamespace("seb-system").withName("seb-exec-leftover").get())
        .isNull();
  }

  private static MutationProposalSpec.Operation create(String object) throws Exception {
    return new MutationProposalSpec.Operation(
        dev.seb.contracts.v1alpha1.OperationType.CREATE,
        null,
        null,
        null,
        CanonicalJson.mapper().readTree(object),
        null,
        null);
  }

  private static final MutationProposalSpec.Operation DELETE =
      new MutationProposalSpec.Operation(
          dev.seb.contracts.v1alpha1.OperationType.DELETE, null, null, null, null, null, null);

  @Test
  @Order(70)
  void admittedCreate_isExecutedByAMintedIdentity() throws Exception {
    MutationProposalStatus status =
        propose(
            "create-it",
            "create-cm",
            create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "created"},
                 "data": {"mode": "calm"}}
                """));
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    assertThat(client.configMaps().inNamespace(NS).withName("created").get().getData())
        .containsEntry("mode", "calm");
    ExecutionRecord outcome =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(NS)
            .withName(status.getOutcomeRecord())
            .get();
    assertThat(outcome.getSpec().jws()).isNotBlank();
  }

  @Test
  @Order(69)
  void anIdentityThatCannotBeMinted_isADenial_andLeavesNothingBehind() throws Exception {
    // the contract's namespace does not exist: the ServiceAccount and its token can be made, the
    // Role and RoleBinding cannot
    MutationProposalStatus status =
        propose(
            "create-nowhere",
            "create-nowhere",
            create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "lost"},
                 "data": {"mode": "calm"}}
                """));
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.IDENTITY_MINT_FAILED);
    assertThat(status.getReasons().get(0).message()).contains("no-such-namespace");
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getDecisionRecord()).isNotNull();
    assertThat(status.getOutcomeRecord()).isNotNull();
    String uid =
        client
            .resources(MutationProposal.class)
            .inNamespace(NS)
            .withName("create-nowhere")
            .get()
            .getMetadata()
            .getUid();
    assertThat(outcomes(uid)).hasSize(1);
    assertThat(
            client
                .serviceAccounts()
                .inNamespace("seb-system")
                .withLabel(SebKeys.PROPOSAL_UID, uid)
                .list()
                .getItems())
        .as("no orphan ServiceAccount")
        .isEmpty();
  }

  /**
   * The broker reads the target a contract named last time alongside the contract; once the
   * contract names another object, that one is read and checked (here: the old one exists, so
   * checking it would be drift; the new one does not, so the create goes ahead).
   */
  @Test
  @Order(75)
  void aContractRecertifiedForAnotherTarget_isCheckedAgainstTheNewOne() throws Exception {
    ObjectNode spec =
        (ObjectNode)
            CanonicalJson.mapper()
                .readTree(
                    """
        {"target": {"kubernetes": {"apiVersion": "v1", "kind": "ConfigMap", "namespace": "shop", "name": "created-next"}},
         "operations": [{"type": "create", "manifest": {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "created-next"}, "data": {"mode": "next"}}}],
         "reversibility": "reversible"}
        """);
    spec.put("certificate", sab.certificate(spec, NS, "create-cm").sign());
    ExecutionContract contract =
        client.resources(ExecutionContract.class).inNamespace(NS).withName("create-cm").get();
    contract.setSpec(CanonicalJson.mapper().treeToValue(spec, ExecutionContractSpec.class));
    client.resource(contract).update();
    assertThat(client.configMaps().inNamespace(NS).withName("created").get()).isNotNull();

    MutationProposalStatus status =
        propose(
            "create-next",
            "create-cm",
            create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "created-next"},
                 "data": {"mode": "next"}}
                """));
    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    assertThat(client.configMaps().inNamespace(NS).withName("created-next").get().getData())
        .containsEntry("mode", "next");
  }

  @Test
  @Order(71)
  void createOfAnObjectThatExists_isDrift_notExecuted() throws Exception {
    MutationProposalStatus status =
        propose(
            "create-again",
            "create-cm",
            create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "created"},
                 "data": {"mode": "calm"}}
                """));
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.DRIFT_DETECTED);
    assertThat(status.getExecuted()).isFalse();
    assertThat(client.configMaps().inNamespace(NS).withName("created").get().getData())
        .containsEntry("mode", "calm");
  }

  @Test
  @Order(72)
  void createOfAnotherObjectThanTheContracts_isScopeViolation() throws Exception {
    MutationProposalStatus status =
        propose(
            "create-other",
            "create-cm",
            create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "sneaky"}}
                """));
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(status.getExecuted()).isFalse();
    assertThat(client.configMaps().inNamespace(NS).withName("sneaky").get()).isNull();
  }

  @Test
  @Order(73)
  void admittedDelete_removesTheTarget() {
    MutationProposalStatus status = propose("delete-it", "delete-cm", DELETE);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    assertThat(client.configMaps().inNamespace(NS).withName("doomed").get()).isNull();
  }

  @Test
  @Order(74)
  void deleteOfATargetChangedInsideTheWindow_isRefused() {
    MutationProposalStatus status = propose("race-delete", "delete-raced", DELETE);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.DRIFT_DETECTED);
    assertThat(status.getExecuted()).isFalse();
    assertThat(
            client
                .configMaps()
                .inNamespace(NS)
                .withName("raced-cm")
                .get()
                .getMetadata()
                .getAnnotations())
        .as("changed by the racer, and not deleted")
        .containsEntry("raced", "true");
  }

  @Test
  @Order(80)
  void aBrokerStalledMidFlight_isRecoveredByAnother_andItsWriteNeverHappens() throws Exception {
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(IMAGE);
              return d;
            });
    int before = webReplicas();
    int asked = before == 3 ? 4 : 3;
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(
        new ObjectMetaBuilder()
            .withName("freeze-it")
            .withNamespace(NS)
            .withAnnotations(Map.of(SebKeys.SUBMITTED_BY, AGENT))
            .build());
    proposal.setSpec(
        new MutationProposalSpec(
            "planner",
            "scale-web",
            new MutationProposalSpec.Operation(
                dev.seb.contracts.v1alpha1.OperationType.SCALE,
                asked,
                null,
                null,
                null,
                null,
                null),
            null,
            "stalled broker"));
    String uid = client.resource(proposal).create().getMetadata().getUid();

    // broker-0 decided, recorded, minted, and stalls right before its write
    assertThat(freezer.reached.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    var orphan =
        client.serviceAccounts().inNamespace("seb-system").withLabel(SebKeys.PROPOSAL_UID, uid);
    assertThat(orphan.list().getItems()).hasSize(1);

    // broker-0 restarted under the same name (a new process) finds its own name on the claim, but
    // not its own process: it waits for the claim like any other broker, never calls it a replay
    var restarted = reconciler(config, records);
    MutationProposal frozen =
        client.resources(MutationProposal.class).inNamespace(NS).withName("freeze-it").get();
    var waiting = restarted.reconcile(frozen, null);
    assertThat(waiting.isPatchStatus()).as("no decision while the claim runs").isFalse();
    assertThat(waiting.getScheduleDelay()).isPresent();
    assertThat(
            client
                .resources(MutationProposal.class)
                .inNamespace(NS)
                .withName("freeze-it")
                .get()
                .getStatus()
                .getDecision())
        .isNull();

    // another broker takes over once the claim has run out
    var other = reconciler(secondBroker());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              MutationProposal current =
                  client
                      .resources(MutationProposal.class)
                      .inNamespace(NS)
                      .withName("freeze-it")
                      .get();
              var answer = other.reconcile(current, null);
              if (answer.isPatchStatus()) {
                client.resource(answer.getResource().orElseThrow()).patchStatus();
                return true;
              }
              return false;
            });
    MutationProposalStatus recovered =
        client
            .resources(MutationProposal.class)
            .inNamespace(NS)
            .withName("freeze-it")
            .get()
            .getStatus();
    assertThat(recovered.getExecuted()).isFalse();
    assertThat(recovered.getReasons().get(0).message())
        .contains("interrupted")
        .contains("exactly as it was checked");
    String decisionRecord =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(NS)
            .withLabel(SebKeys.PROPOSAL_UID, uid)
            .list()
            .getItems()
            .stream()
            .filter(
                r ->
                    r.getSpec().kind()
                        == dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind.DECISION)
            .findFirst()
            .orElseThrow()
            .getMetadata()
            .getName();
    assertThat(payload(recovered.getOutcomeRecord()).path("preState").asText())
        .as("the recovered outcome: checked state, and the same state found after")
        .startsWith("sha256:")
        .isEqualTo(payload(decisionRecord).path("preState").asText())
        .isEqualTo(payload(recovered.getOutcomeRecord()).path("postState").asText());
    assertThat(orphan.list().getItems()).as("the stalled broker's identity is revoked").isEmpty();
    assertThat(
            client
                .rbac()
                .roles()
                .inNamespace(NS)
                .withLabel(SebKeys.PROPOSAL_UID, uid)
                .list()
                .getItems())
        .isEmpty();

    // the stalled broker wakes up: its write is refused, the target never changes
    freezer.released.countDown();
    await().atMost(SOON).until(() -> outcomes(uid).size() == 2);
    assertThat(outcomes(uid))
        .as("both brokers recorded the outcome in their chains, neither as executed")
        .allSatisfy(r -> assertThat(r.getSpec().jws()).isNotBlank())
        .extracting(r -> r.getSpec().chain())
        .containsExactlyInAnyOrder("broker-0", "broker-1");
    for (ExecutionRecord outcome : outcomes(uid)) {
      String payload =
          com.nimbusds.jose.util.Base64URL.from(outcome.getSpec().jws().split("\\.")[1])
              .decodeToString();
      assertThat(payload).contains("\"executed\":false");
    }
    Thread.sleep(1000); // let the stalled broker's status answer land, if it (wrongly) sent one
    assertThat(webReplicas()).as("never executed").isEqualTo(before);
    MutationProposalStatus last =
        client
            .resources(MutationProposal.class)
            .inNamespace(NS)
            .withName("freeze-it")
            .get()
            .getStatus();
    assertThat(last.getOutcomeRecord()).isEqualTo(recovered.getOutcomeRecord());
    assertThat(last.getExecuted()).isFalse();
  }

  @Test
  @Order(85)
  void aDecidedProposalWhoseStatusIsReset_isAReplay_neverExecutedAgain() {
    MutationProposal decided =
        client.resources(MutationProposal.class).inNamespace(NS).withName("create-it").get();
    assertThat(decided.getStatus().getExecuted()).isTrue();
    String firstOutcome = decided.getStatus().getOutcomeRecord();
    String firstDecision = decided.getStatus().getDecisionRecord();
    decided.setStatus(new MutationProposalStatus());
    MutationProposal reset = client.resource(decided).updateStatus();
    client.configMaps().inNamespace(NS).withName("created").delete(); // so a create would succeed

    // a broker that sees it again (after a restart, or another replica) refuses to decide twice
    var other = reconciler(secondBroker());
    var answer = other.reconcile(reset, null);
    assertThat(answer.isPatchStatus()).isTrue();
    MutationProposalStatus status = answer.getResource().orElseThrow().getStatus();
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.REPLAY);
    assertThat(status.getReasons().get(0).message())
        .as("the replay is not executed, the first decision was: the message says where")
        .contains(firstDecision)
        .contains("outcome record " + firstOutcome + " says executed=true");
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getOutcomeRecord()).isNotEqualTo(firstOutcome);
    // the first decision is stored under the proposal's decision name, which can exist once; the
    // replay's denial is stored under its chain name
    assertThat(firstDecision).isEqualTo(RecordLog.decisionName(decided.getMetadata().getUid()));
    assertThat(status.getDecisionRecord()).startsWith("broker-1-");
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.configMaps().inNamespace(NS).withName("created").get() == null);
  }

  @Test
  @Order(93)
  void anAuthorizerThatHasNotYetSeenTheMintedRoleBinding_delaysTheWrite_doesNotFailIt()
      throws Exception {
    int current = webReplicas();
    int wanted = current == 2 ? 3 : 2;
    MutationProposalStatus status = propose("unbound-regranted", wanted);
    assertThat(unbinder.removed).as("the hook took the RoleBinding away").isNotNull();
    assertThat(unbinder.restored.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
    assertThat(status.getReasons()).isEmpty();
    assertThat(status.getExecuted()).isTrue();
    assertThat(webReplicas()).isEqualTo(wanted);
    assertThat(executionIdentitiesLeft()).as("revoked after the delayed write").isEmpty();
  }

  @Test
  @Order(94)
  void anIdentityTheAuthorizerNeverGrants_isAnExecutionFailure_nothingWritten() {
    int current = webReplicas();
    MutationProposalStatus status = propose("unbound", current == 2 ? 3 : 2);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.EXECUTION_FAILED);
    assertThat(status.getReasons().get(0).message())
        .contains("authorizer did not grant the minted identity its Role within 5 s")
        .contains("nothing was written");
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getOutcomeRecord()).isNotNull();
    assertThat(webReplicas()).isEqualTo(current);
    assertThat(executionIdentitiesLeft()).isEmpty();
  }

  @Test
  @Order(96)
  void aRevocationThatFailsAfterTheWrite_isRecordedAsExecuted_withoutRevocationTime()
      throws Exception {
    int current = webReplicas();
    int wanted = current == 2 ? 3 : 2;
    MutationProposalStatus status;
    try {
      status = propose("unrevokable", wanted);
      assertThat(revocationBlocker.account).as("the hook kept the ServiceAccount").isNotNull();
      assertThat(status.getReasons()).isEmpty();
      assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
      assertThat(status.getExecuted()).as("the write happened").isTrue();
      assertThat(webReplicas()).isEqualTo(wanted);
      JsonNode outcome = payload(status.getOutcomeRecord());
      assertThat(outcome.at("/executed").asBoolean()).isTrue();
      assertThat(outcome.at("/identity/subject").asText())
          .isEqualTo("system:serviceaccount:" + revocationBlocker.account.replace("/", ":"));
      assertThat(outcome.at("/identity").has("revokedAt"))
          .as("signed evidence that the identity was not revoked")
          .isFalse();
      assertThat(executionIdentitiesLeft())
          .as("its Role and RoleBinding went; only the kept ServiceAccount is left")
          .containsExactly("ServiceAccount " + revocationBlocker.account.split("/")[1]);
    } finally {
      revocationBlocker.lift();
    }
    await()
        .atMost(SOON)
        .ignoreExceptions()
        .until(
            () -> {
              client.serviceAccounts().withLabel(SebKeys.EXECUTION_IDENTITY).delete();
              return executionIdentitiesLeft().isEmpty();
            });
  }

  /**
   * A broker that recorded a denial and died before writing the status: once its claim ran out, the
   * denial stands as recorded (reason and record), not decided again as a REPLAY, and no second
   * record is written.
   */
  @Test
  @Order(97)
  void aDenialRecordedByABrokerThatDiedBeforeTheStatus_standsAsRecorded() {
    MutationProposalStatus first = propose("denied-then-died", 6);
    assertThat(first.getReasons().get(0).code()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    MutationProposal proposal =
        client.resources(MutationProposal.class).inNamespace(NS).withName("denied-then-died").get();
    String uid = proposal.getMetadata().getUid();
    int records = recordsAbout(uid);
    // the status as the dead broker left it: its claim (run out), no decision
    MutationProposalStatus left = new MutationProposalStatus();
    left.setClaim(new MutationProposalStatus.Claim("broker-9", "deadbeef", "2026-01-01T00:00:00Z"));
    proposal.setStatus(left);
    proposal = client.resource(proposal).updateStatus();
    // another broker meets it (a status-only change is no event for the running one)
    var answer = reconciler(secondBroker()).reconcile(proposal, null);
    assertThat(answer.isPatchStatus()).isTrue();
    client.resource(answer.getResource().orElseThrow()).patchStatus();
    MutationProposalStatus now =
        client
            .resources(MutationProposal.class)
            .inNamespace(NS)
            .withName("denied-then-died")
            .get()
            .getStatus();
    assertThat(now.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(now.getReasons()).isEqualTo(first.getReasons());
    assertThat(now.getDecisionRecord()).isEqualTo(RecordLog.decisionName(uid));
    assertThat(now.getProposalDigest()).isEqualTo(first.getProposalDigest());
    assertThat(now.getExecuted()).isFalse();
    assertThat(recordsAbout(uid)).as("nothing recorded a second time").isEqualTo(records);
  }

  /**
   * The broker executed a proposal but its status write was lost, and the same process reconciles
   * it again (the Operator SDK retries): what it recorded stands, it is not decided again (which
   * would read as a REPLAY, "not executed") nor executed again.
   */
  @Test
  @Order(98)
  void anExecutionWhoseStatusWriteWasLost_isRestoredFromItsRecords_notReplayed() {
    int current = webReplicas();
    int wanted = current == 2 ? 3 : 2;
    MutationProposalStatus done = propose("status-lost", wanted);
    assertThat(done.getExecuted()).isTrue();
    MutationProposal proposal =
        client.resources(MutationProposal.class).inNamespace(NS).withName("status-lost").get();
    String uid = proposal.getMetadata().getUid();
    int records = recordsAbout(uid);
    // the status as it was before the lost write: this process's claim only
    MutationProposalStatus claimed = new MutationProposalStatus();
    claimed.setClaim(done.getClaim());
    proposal.setStatus(claimed);
    proposal = client.resource(proposal).updateStatus();

    var answer = running.reconcile(proposal, null);
    assertThat(answer.isPatchStatus()).isTrue();
    client.resource(answer.getResource().orElseThrow()).patchStatus();
    MutationProposalStatus now =
        client
            .resources(MutationProposal.class)
            .inNamespace(NS)
            .withName("status-lost")
            .get()
            .getStatus();
    assertThat(now.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(now.getExecuted()).isTrue();
    assertThat(now.getReasons()).isEmpty();
    assertThat(now.getDecisionRecord()).isEqualTo(done.getDecisionRecord());
    assertThat(now.getOutcomeRecord()).isEqualTo(done.getOutcomeRecord());
    assertThat(now.getProposalDigest()).isEqualTo(done.getProposalDigest());
    assertThat(recordsAbout(uid)).as("nothing recorded a second time").isEqualTo(records);
    assertThat(webReplicas()).isEqualTo(wanted);
  }

  /**
   * Another broker (stalled past its claim) records its decision about the proposal and performs
   * the write after this broker checked for a decision and before it recorded its own: this
   * broker's decision record is refused, it records nothing of its own decision, revokes the
   * other's identity, and records the outcome it finds (executed), never reporting a REPLAY that
   * was executed as "not executed".
   */
  @Test
  @Order(99)
  void aDecisionRecordedByAnotherBrokerMeanwhile_isRecoveredFromTheTarget_notCalledAReplay()
      throws Exception {
    int current = webReplicas();
    int wanted = current == 2 ? 3 : 2;
    overtaker.log = recordLog(secondBroker());
    MutationProposalStatus status = propose("overtaken", wanted);
    assertThat(overtaker.decided).as("the other broker recorded its decision").isNotNull();
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted())
        .as("the other broker's write is what the target shows")
        .isTrue();
    assertThat(status.getDecisionRecord()).isEqualTo(overtaker.decided);
    assertThat(payload(status.getOutcomeRecord()).path("executed").asBoolean()).isTrue();
    assertThat(payload(status.getOutcomeRecord()).path("chain").asText()).isEqualTo("broker-0");
    assertThat(status.getProposalDigest())
        .startsWith("sha256:")
        .isEqualTo(payload(overtaker.decided).path("proposal").path("proposalDigest").asText());
    assertThat(
            client
                .resources(ExecutionRecord.class)
                .inNamespace(NS)
                .withName(overtaker.decided)
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry(SebKeys.CHAIN, "broker-1");
    assertThat(webReplicas()).as("written once, by the other broker").isEqualTo(wanted);
    assertThat(executionIdentitiesLeft()).isEmpty();
  }

  private int recordsAbout(String uid) {
    return client
        .resources(ExecutionRecord.class)
        .inNamespace(NS)
        .withLabel(SebKeys.PROPOSAL_UID, uid)
        .list()
        .getItems()
        .size();
  }

  /** The replicas the test namespace's web Deployment has now. */
  private int webReplicas() {
    return client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("web")
        .get()
        .getSpec()
        .getReplicas();
  }

  /** Execution ServiceAccounts, Roles and RoleBindings still there. */
  private List<String> executionIdentitiesLeft() {
    return java.util.stream.Stream.of(
            client
                .serviceAccounts()
                .inAnyNamespace()
                .withLabel(SebKeys.EXECUTION_IDENTITY)
                .list()
                .getItems(),
            client
                .rbac()
                .roles()
                .inAnyNamespace()
                .withLabel(SebKeys.EXECUTION_IDENTITY)
                .list()
                .getItems(),
            client
                .rbac()
                .roleBindings()
                .inAnyNamespace()
                .withLabel(SebKeys.EXECUTION_IDENTITY)
                .list()
                .getItems())
        .flatMap(List::stream)
        .map(o -> o.getKind() + " " + o.getMetadata().getName())
        .toList();
  }

  @Test
  @Order(95)
  void aProposalWithALongName_isExecuted_itsIdentityLabelledByUid() {
    int current = webReplicas();
    String name = "scale-" + "x".repeat(110); // namespace/name together exceed a label value
    MutationProposalStatus status = propose(name, current == 2 ? 3 : 2);
    assertThat(status.getReasons()).isEmpty();
    assertThat(status.getExecuted()).isTrue();
  }

  @Test
  @Order(96)
  void aRecordThatCannotBeStored_leavesNoGap_theNextOneFollowsTheLastStored() throws Exception {
    RecordLog log = recordLog(secondBroker());
    dev.seb.contracts.record.ProposalRef ref =
        new dev.seb.contracts.record.ProposalRef(
            NS, "gap", "00000000-0000-0000-0000-000000000001", null);
    var draft =
        dev.seb.contracts.record.RecordDraft.builder(
                dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind.DENIAL)
            .proposal(ref)
            .decision(MutationProposalStatus.Decision.DENY)
            .reason(ReasonCode.SCOPE_VIOLATION, "test")
            .executed(false)
            .decidedAt(java.time.Instant.now())
            .build();
    assertThatThrownBy(() -> log.append(draft, "no-such-namespace"))
        .isInstanceOf(KubernetesClientException.class);
    log.append(draft, NS);

    String jwks = log.publicKeys().toString();
    List<String> chain =
        client
            .resources(ExecutionRecord.class)
            .inAnyNamespace()
            .withLabel(SebKeys.CHAIN, "broker-1")
            .list()
            .getItems()
            .stream()
            .sorted(java.util.Comparator.comparing(r -> r.getSpec().sequence()))
            .map(r -> r.getSpec().jws())
            .toList();
    RecordChainVerifier.verify(chain, JWKSet.parse(jwks), "broker-1");
  }

  @Test
  @Order(97)
  void aSecondDecisionAboutOneProposal_isRefusedByTheApiServer_andLeavesNoGap() throws Exception {
    String uid = java.util.UUID.randomUUID().toString();
    var draft =
        dev.seb.contracts.record.RecordDraft.builder(
                dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind.DECISION)
            .proposal(new dev.seb.contracts.record.ProposalRef(NS, "decided-twice", uid, null))
            .decision(MutationProposalStatus.Decision.ADMIT)
            .executed(false)
            .decidedAt(java.time.Instant.now())
            .build();
    // broker-0 decides first; broker-1 deciding the same proposal is refused, whatever its claim
    assertThat(records.appendDecision(draft, NS)).isEqualTo(RecordLog.decisionName(uid));
    RecordLog second = recordLog(secondBroker());
    assertThatThrownBy(() -> second.appendDecision(draft, NS))
        .isInstanceOf(RecordLog.AlreadyDecided.class)
        .hasMessageContaining(RecordLog.decisionName(uid));
    assertThat(
            client
                .resources(ExecutionRecord.class)
                .inNamespace(NS)
                .withName(RecordLog.decisionName(uid))
                .get()
                .getSpec()
                .chain())
        .isEqualTo(config.instance());
    // the refused record moved no head: broker-1's chain still verifies without a gap
    second.append(draft, NS);
    List<String> chain =
        client
            .resources(ExecutionRecord.class)
            .inAnyNamespace()
            .withLabel(SebKeys.CHAIN, "broker-1")
            .list()
            .getItems()
            .stream()
            .sorted(java.util.Comparator.comparing(r -> r.getSpec().sequence()))
            .map(r -> r.getSpec().jws())
            .toList();
    RecordChainVerifier.verify(chain, JWKSet.parse(second.publicKeys().toString()), "broker-1");
  }

  @Test
  @Order(98)
  void theAnchorThatVerifiedTheContractLastTime_isReadLiveForEveryDecision() {
    int current = webReplicas();
    assertThat(propose("anchor-known", current == 2 ? 3 : 2).getExecuted()).isTrue();
    TrustAnchor anchor = client.resources(TrustAnchor.class).withName("sab").get();
    TrustAnchorSpec trusted = anchor.getSpec();

    // the anchor the broker read by name last time now names another issuer
    anchor.setSpec(
        new TrustAnchorSpec("someone-else", trusted.rootCertificates(), trusted.epochStatement()));
    client.resource(anchor).update();
    MutationProposalStatus status = propose("anchor-renamed", current);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.UNTRUSTED_ISSUER);
    assertThat(status.getExecuted()).isFalse();

    // the anchor is gone
    client.resources(TrustAnchor.class).withName("sab").delete();
    await()
        .atMost(SOON)
        .until(() -> client.resources(TrustAnchor.class).withName("sab").get() == null);
    status = propose("anchor-gone", current);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.UNTRUSTED_ISSUER);
    assertThat(status.getExecuted()).isFalse();

    // trusted again
    TrustAnchor restored = new TrustAnchor();
    restored.setMetadata(new ObjectMetaBuilder().withName("sab").build());
    restored.setSpec(trusted);
    client.resource(restored).create();
    status = propose("anchor-back", current);
    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
  }

  private List<ExecutionRecord> outcomes(String uid) {
    return client
        .resources(ExecutionRecord.class)
        .inNamespace(NS)
        .withLabel(SebKeys.PROPOSAL_UID, uid)
        .list()
        .getItems()
        .stream()
        .filter(
            r -> r.getSpec().kind() == dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind.OUTCOME)
        .toList();
  }

  /** A second broker instance with its own chain and key. */
  /** Another broker process with the given configuration, writing to its own record chain. */
  private MutationProposalReconciler reconciler(BrokerConfig broker) {
    return reconciler(broker, recordLog(broker));
  }

  /** Another broker process with the given configuration and record log. */
  private static final Map<String, ChainLease> LEASES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Another broker's record log, holding its chain's Lease as that broker would. */
  private RecordLog recordLog(BrokerConfig broker) {
    ChainLease lease =
        LEASES.computeIfAbsent(broker.instance(), i -> new ChainLease(client, broker).start());
    await().atMost(SOON).until(lease::held);
    return new RecordLog(client, broker, Clock.systemUTC(), lease);
  }

  private MutationProposalReconciler reconciler(BrokerConfig broker, RecordLog log) {
    return AnotherBroker.reconciler(client, broker, log, minter, identities, meters, probe);
  }

  /** The signed claims of a record in the test namespace. */
  private JsonNode payload(String record) throws Exception {
    String jws =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(NS)
            .withName(record)
            .get()
            .getSpec()
            .jws();
    return CanonicalJson.mapper()
        .readTree(com.nimbusds.jose.util.Base64URL.from(jws.split("\\.")[1]).decodeToString());
  }

  /**
   * One writer per chain: a second process under the running broker's instance name cannot write
   * its chain (nor decide) while the first holds the chain's Lease, and takes the chain over only
   * once the first gives it up.
   */
  @Test
  @Order(110)
  void aSecondProcessUnderTheSameInstanceName_writesNothing_untilTheChainIsHandedOver() {
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                given()
                    .when()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("checks.find { it.name == 'seb-record-chain' }.status", equalTo("UP")));
    ChainLease duplicate = new ChainLease(client, config).start();
    try {
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .until(() -> !duplicate.held());
      RecordLog log = new RecordLog(client, config, Clock.systemUTC(), duplicate);
      var draft =
          dev.seb.contracts.record.RecordDraft.builder(
                  dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind.DENIAL)
              .proposal(
                  new dev.seb.contracts.record.ProposalRef(
                      NS, "forked", java.util.UUID.randomUUID().toString(), null))
              .decision(MutationProposalStatus.Decision.DENY)
              .reason(ReasonCode.INTERNAL_ERROR, "a fork")
              .executed(false)
              .decidedAt(java.time.Instant.now())
              .build();
      assertThatThrownBy(() -> log.append(draft, NS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not hold record chain broker-0");
      MutationProposal proposal = new MutationProposal();
      proposal.setMetadata(new ObjectMetaBuilder().withName("forked").withNamespace(NS).build());
      var answer = reconciler(config, log).reconcile(proposal, null);
      assertThat(answer.isNoUpdate()).as("nothing claimed, nothing decided").isTrue();
      assertThat(answer.getScheduleDelay()).isPresent();
    } finally {
      duplicate.stop();
    }

    BrokerConfig seventh = broker("broker-7");
    ChainLease first = new ChainLease(client, seventh).start();
    ChainLease second = new ChainLease(client, seventh).start();
    try {
      await().atMost(SOON).until(() -> first.held() || second.held());
      ChainLease holder = first.held() ? first : second;
      ChainLease waiting = holder == first ? second : first;
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .until(() -> !waiting.held());
      holder.stop();
      await().atMost(SOON).until(waiting::held);
      assertThat(holder.held()).isFalse();

      // a process that finds the Lease held by another (it was stalled, and another took over)
      // stops writing within the renew deadline, and competes again once that lease runs out
      client
          .resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
          .inNamespace("seb-system")
          .withName(ChainLease.name("broker-7"))
          .edit(
              lease -> {
                lease.getSpec().setHolderIdentity("a stalled process");
                lease.getSpec().setRenewTime(java.time.ZonedDateTime.now());
                lease.getSpec().setLeaseDurationSeconds(15);
                return lease;
              });
      await().atMost(Duration.ofSeconds(20)).until(() -> !waiting.held());
      await().atMost(Duration.ofSeconds(40)).until(waiting::held);
    } finally {
      first.stop();
      second.stop();
    }
  }

  private static BrokerConfig secondBroker() {
    return broker("broker-1");
  }

  private static BrokerConfig broker(String instance) {
    return new BrokerConfig() {
      public String namespace() {
        return "seb-system";
      }

      public String instance() {
        return instance;
      }

      public String signingKeySecret() {
        return "seb-" + instance + "-signing-key";
      }

      public String brokerId() {
        return "seb-broker";
      }

      public java.time.Duration claimDuration() {
        return java.time.Duration.ofMinutes(2);
      }

      public java.time.Duration clockLeeway() {
        return java.time.Duration.ofSeconds(30);
      }
    };
  }

  @Test
  @Order(90)
  void logLinesAboutAProposal_carryItAsStructuredFields() {
    java.util.List<java.util.logging.LogRecord> captured =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            if (record instanceof org.jboss.logmanager.ExtLogRecord ext) {
              ext.copyAll(); // the MDC as it was on the logging thread
            }
            captured.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger(MutationProposalReconciler.class.getPackageName());
    logger.addHandler(handler);
    try {
      propose("log-me", 9); // outside the mandate: denied, and logged
      String uid =
          client
              .resources(MutationProposal.class)
              .inNamespace(NS)
              .withName("log-me")
              .get()
              .getMetadata()
              .getUid();
      assertThat(captured)
          .filteredOn(r -> String.valueOf(r.getMessage()).contains("DENY"))
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r).isInstanceOf(org.jboss.logmanager.ExtLogRecord.class);
                var ext = (org.jboss.logmanager.ExtLogRecord) r;
                assertThat(ext.getMdc(MutationProposalReconciler.MDC_PROPOSAL))
                    .isEqualTo(NS + "/log-me");
                assertThat(ext.getMdc(MutationProposalReconciler.MDC_PROPOSAL_UID)).isEqualTo(uid);
              });
    } finally {
      logger.removeHandler(handler);
    }
  }
}
