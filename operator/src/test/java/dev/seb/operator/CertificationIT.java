package dev.seb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * The operator on a real API server keeps TrustAnchor and ExecutionContract status truthful:
 * verified epochs, rollback refused, staleness and expiry shown within seconds, certification
 * re-evaluated when the anchor changes.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class CertificationIT {

  private static final Duration SOON = Duration.ofSeconds(20);

  @Inject KubernetesClient client;

  private final TestSab sab =
      TestSab.create(UUID.randomUUID().toString().substring(0, 8) + ".sab.test", Clock.systemUTC());
  private String namespace;
  private String anchorName;

  @BeforeEach
  void namespace() {
    namespace = "ns-" + UUID.randomUUID().toString().substring(0, 8);
    anchorName = "anchor-" + namespace;
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  private TrustAnchor applyAnchor(String statement) {
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName(anchorName).build());
    anchor.setSpec(new TrustAnchorSpec(sab.sabId(), sab.rootsPem(), statement));
    return client.resource(anchor).serverSideApply();
  }

  private Optional<Condition> anchorReady() {
    TrustAnchor anchor = client.resources(TrustAnchor.class).withName(anchorName).get();
    return anchor == null || anchor.getStatus() == null
        ? Optional.empty()
        : Conditions.find(anchor.getStatus().getConditions(), "Ready");
  }

  private Optional<Condition> certified(String name) {
    ExecutionContract contract =
        client.resources(ExecutionContract.class).inNamespace(namespace).withName(name).get();
    return contract == null || contract.getStatus() == null
        ? Optional.empty()
        : Conditions.find(contract.getStatus().getConditions(), "Certified");
  }

  private ObjectNode contractSpec() throws Exception {
    return (ObjectNode)
        CanonicalJson.mapper()
            .readTree(
                """
                {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "%s", "name": "web"}},
                 "operations": [{"type": "scale", "constraints": {"minReplicas": 2, "maxReplicas": 6}}],
                 "reversibility": "reversible"}
                """
                    .formatted(namespace));
  }

  private void applyContract(String name, ObjectNode specWithCertificate) throws Exception {
    ExecutionContract contract = new ExecutionContract();
    contract.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    contract.setSpec(
        CanonicalJson.mapper().treeToValue(specWithCertificate, ExecutionContractSpec.class));
    client.resource(contract).serverSideApply();
  }

  private void awaitCondition(
      java.util.function.Supplier<Optional<Condition>> condition, String status, String reason) {
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                assertThat(condition.get())
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).as(c.getMessage()).isEqualTo(status);
                          assertThat(c.getReason()).isEqualTo(reason);
                        }));
  }

  @Test
  void verifiedStatement_publishesItsEpochs_andARollbackIsRefusedKeepingThem() {
    applyAnchor(sab.epochStatement().minPolicyEpoch(3).revocationEpoch(5).revoke("old-1").sign());
    awaitCondition(this::anchorReady, "True", "Verified");
    TrustAnchor anchor = client.resources(TrustAnchor.class).withName(anchorName).get();
    assertThat(anchor.getStatus().getPolicyEpoch()).isEqualTo(3);
    assertThat(anchor.getStatus().getRevocationEpoch()).isEqualTo(5);
    assertThat(anchor.getStatus().getRevokedSerials()).containsExactly("old-1");

    applyAnchor(sab.epochStatement().minPolicyEpoch(3).revocationEpoch(4).sign());
    awaitCondition(this::anchorReady, "False", "EpochRollback");
    anchor = client.resources(TrustAnchor.class).withName(anchorName).get();
    assertThat(anchor.getStatus().getRevocationEpoch())
        .as("the high-water mark is kept")
        .isEqualTo(5);
    assertThat(anchor.getStatus().getObservedGeneration())
        .isEqualTo(anchor.getMetadata().getGeneration());
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                    .anyMatch(
                        e ->
                            anchorName.equals(e.getInvolvedObject().getName())
                                && "EpochRollbackRefused".equals(e.getReason())
                                && "Warning".equals(e.getType())
                                && "seb.dev/operator".equals(e.getReportingComponent())));
  }

  @Test
  void statementExpiringInSeconds_turnsTheAnchorStale_withoutWaitingForAResync() {
    Instant now = Instant.now();
    applyAnchor(
        sab.epochStatement().issuedAt(now.minusSeconds(5)).expiresAt(now.plusSeconds(4)).sign());
    awaitCondition(this::anchorReady, "True", "Verified");
    awaitCondition(this::anchorReady, "False", "EPOCH_STATEMENT_STALE");
  }

  @Test
  void certifiedContract_showsDigestAndSummary_andExpiresOnTime() throws Exception {
    applyAnchor(sab.epochStatement().sign());
    ObjectNode spec = contractSpec();
    Instant now = Instant.now();
    spec.put(
        "certificate",
        sab.certificate(spec, namespace, "scale-web")
            .serial("c-1")
            .notBefore(now.minusSeconds(5))
            .notAfter(now.plusSeconds(5))
            .sign());
    applyContract("scale-web", spec);
    awaitCondition(() -> certified("scale-web"), "True", "Certified");
    ExecutionContract stored =
        client
            .resources(ExecutionContract.class)
            .inNamespace(namespace)
            .withName("scale-web")
            .get();
    assertThat(stored.getStatus().getDigest()).isEqualTo(Digests.contract(spec));
    assertThat(stored.getStatus().getCertificate().serial()).isEqualTo("c-1");
    assertThat(stored.getStatus().getCertificate().issuer()).isEqualTo(sab.sabId());
    assertThat(Conditions.find(stored.getStatus().getConditions(), "Ready"))
        .as("Ready says what Certified says")
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Certified");
            });
    awaitCondition(() -> certified("scale-web"), "False", "CERTIFICATE_EXPIRED");
    awaitCondition(() -> contractReady("scale-web"), "False", "CERTIFICATE_EXPIRED");

    // what people and alerts see: an Event per transition on the contract, and the metrics
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .v1()
                            .events()
                            .inNamespace(namespace)
                            .withField("involvedObject.name", "scale-web")
                            .list()
                            .getItems())
                    .extracting(e -> e.getType() + " " + e.getReason())
                    .contains("Normal ContractCertified", "Warning CertificationFailed"));
    String metrics = io.restassured.RestAssured.get("/q/metrics").then().extract().asString();
    assertThat(metrics)
        .contains("seb_operator_reconciles_total{kind=\"ExecutionContract\",result=\"ok\"}")
        .contains("seb_operator_reconciles_total{kind=\"TrustAnchor\",result=\"ok\"}")
        .contains("seb_operator_certifications_total{reason=\"Certified\",result=\"certified\"}")
        .contains(
            "seb_operator_certifications_total{reason=\"CERTIFICATE_EXPIRED\",result=\"refused\"}");
  }

  private Optional<Condition> contractReady(String name) {
    ExecutionContract contract =
        client.resources(ExecutionContract.class).inNamespace(namespace).withName(name).get();
    return contract == null || contract.getStatus() == null
        ? Optional.empty()
        : Conditions.find(contract.getStatus().getConditions(), "Ready");
  }

  @Test
  void contractEditedAfterCertification_isNotCertified() throws Exception {
    applyAnchor(sab.epochStatement().sign());
    ObjectNode spec = contractSpec();
    String certificate = sab.certificate(spec, namespace, "edited").sign();
    ((ObjectNode) spec.at("/operations/0/constraints")).put("maxReplicas", 60);
    spec.put("certificate", certificate);
    applyContract("edited", spec);
    awaitCondition(() -> certified("edited"), "False", "CONTRACT_DIGEST_MISMATCH");
  }

  @Test
  void anchorRevokingTheSerial_decertifiesTheContract() throws Exception {
    applyAnchor(sab.epochStatement().sign());
    ObjectNode spec = contractSpec();
    spec.put("certificate", sab.certificate(spec, namespace, "revoked").serial("to-revoke").sign());
    applyContract("revoked", spec);
    awaitCondition(() -> certified("revoked"), "True", "Certified");

    applyAnchor(sab.epochStatement().issuedAt(Instant.now()).revoke("to-revoke").sign());
    awaitCondition(() -> certified("revoked"), "False", "CERTIFICATE_REVOKED");
  }

  @Test
  void certificateFromAnUnknownSab_isUntrusted() throws Exception {
    ObjectNode spec = contractSpec();
    TestSab stranger = TestSab.create("stranger.sab.test", Clock.systemUTC());
    spec.put("certificate", stranger.certificate(spec, namespace, "foreign").sign());
    applyContract("foreign", spec);
    awaitCondition(() -> certified("foreign"), "False", "UNTRUSTED_ISSUER");
  }
}
