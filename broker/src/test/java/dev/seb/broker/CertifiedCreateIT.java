package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.OperationType;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * A certified create on the real API server: the contract certifies one unprivileged Pod; an agent
 * proposing that pod with {@code privileged: true} is denied and nothing is created, and the
 * certified pod is created exactly as the manifest says.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertifiedCreateIT {

  private static final String NS = "reports";
  private static final String AGENT = "system:serviceaccount:agents:reporter";
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final String MANIFEST =
      """
      {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "report", "labels": {"app": "report"}},
       "spec": {"restartPolicy": "Never", "automountServiceAccountToken": false,
                "containers": [{"name": "report", "image": "registry.example/shop/report:1.0.0",
                                "args": ["--since", "24h"],
                                "securityContext": {"runAsNonRoot": true}}]}}
      """;
  private static boolean ready;

  @Inject KubernetesClient client;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (ready) {
      return;
    }
    BrokerTestGround.namespaces(client, NS, "seb-system");
    // pods run as the namespace's default ServiceAccount; no controller makes it here
    client
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
        .serverSideApply();

    TestSab sab = TestSab.create("sab.certified-create.test", Clock.systemUTC());
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName("sab-certified-create").build());
    anchor.setSpec(new TrustAnchorSpec(sab.sabId(), sab.rootsPem(), sab.epochStatement().sign()));
    client.resource(anchor).create();

    ObjectNode spec =
        (ObjectNode)
            CanonicalJson.mapper()
                .readTree(
                    """
        {"target": {"kubernetes": {"apiVersion": "v1", "kind": "Pod", "namespace": "reports", "name": "report"}},
         "operations": [{"type": "create", "constraints": {"allowedPaths": ["/spec/containers/0/args/*"]}}],
         "reversibility": "reversible"}
        """);
    ((ObjectNode) spec.get("operations").get(0)).set("manifest", manifest());
    spec.put("certificate", sab.certificate(spec, NS, "create-report").sign());
    ExecutionContract contract = new ExecutionContract();
    contract.setMetadata(
        new ObjectMetaBuilder().withName("create-report").withNamespace(NS).build());
    contract.setSpec(CanonicalJson.mapper().treeToValue(spec, ExecutionContractSpec.class));
    client.resource(contract).create();

    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName("reporter").withNamespace(NS).build());
    mandate.setSpec(
        CanonicalJson.mapper()
            .readValue(
                """
        {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/reporter"},
         "scope": [{"contractRef": "create-report", "operations": ["create"]}],
         "lifecycle": {"notAfter": "2099-01-01T00:00:00Z"}}
        """,
                MandateSpec.class));
    BrokerTestGround.setActive(client, client.resource(mandate).create());
    ready = true;
  }

  private static ObjectNode manifest() throws Exception {
    return (ObjectNode) CanonicalJson.mapper().readTree(MANIFEST);
  }

  private MutationProposalStatus propose(String name, JsonNode object) {
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .withAnnotations(Map.of(SebKeys.SUBMITTED_BY, AGENT))
            .build()); // as the webhook stamps it
    proposal.setSpec(
        new MutationProposalSpec(
            "reporter",
            "create-report",
            new MutationProposalSpec.Operation(
                OperationType.CREATE, null, null, null, object, null, null),
            null,
            "nightly report"));
    client.resource(proposal).create();
    return BrokerTestGround.awaitDecided(client, NS, name);
  }

  private Pod pod() {
    return client.pods().inNamespace(NS).withName("report").get();
  }

  @Test
  @Order(1)
  void aPrivilegedPodInsteadOfTheCertifiedOne_isDenied_andNothingIsCreated() throws Exception {
    ObjectNode privileged = manifest();
    ((ObjectNode) privileged.at("/spec/containers/0/securityContext")).put("privileged", true);

    MutationProposalStatus status = propose("privileged-report", privileged);

    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(status.getReasons().get(0).message())
        .contains("/spec/containers/0/securityContext/privileged");
    assertThat(status.getExecuted()).isFalse();
    assertThat(pod()).as("nothing was created").isNull();
  }

  @Test
  @Order(2)
  void aHostPathVolumeAddedToTheCertifiedPod_isDenied_andNothingIsCreated() throws Exception {
    ObjectNode hostPath = manifest();
    ((ObjectNode) hostPath.get("spec"))
        .putArray("volumes")
        .addObject()
        .put("name", "node")
        .putObject("hostPath")
        .put("path", "/");

    MutationProposalStatus status = propose("hostpath-report", hostPath);

    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(status.getReasons().get(0).message()).contains("/spec/volumes");
    assertThat(pod()).as("nothing was created").isNull();
  }

  @Test
  @Order(3)
  void theCertifiedPod_isCreated_andEqualsTheManifest() throws Exception {
    MutationProposalStatus status = propose("certified-report", manifest());

    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    JsonNode live = CanonicalJson.mapper().valueToTree(pod());
    // the API server adds its own metadata and defaults; everything the manifest says is there
    ObjectNode expected = manifest();
    ((ObjectNode) expected.get("metadata")).put("namespace", NS);
    assertContains(live, expected, "");
    assertThat(live.at("/spec/containers/0/securityContext/privileged").isMissingNode()).isTrue();
  }

  /** Every field of {@code expected} is in {@code actual} with the same value. */
  private static void assertContains(JsonNode actual, JsonNode expected, String path) {
    if (expected.isObject()) {
      assertThat(actual.isObject()).as(path + " is an object").isTrue();
      Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        assertContains(actual.path(field.getKey()), field.getValue(), path + "/" + field.getKey());
      }
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(path + " has as many elements").isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertContains(actual.get(i), expected.get(i), path + "/" + i);
      }
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }
}
