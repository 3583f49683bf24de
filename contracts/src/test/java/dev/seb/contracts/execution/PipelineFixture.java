package dev.seb.contracts.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.certificate.ContractCertificateVerifier;
import dev.seb.contracts.epoch.EpochStatementVerifier;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A valid decision input for "scale shop/web between 2 and 6", built with the SAB test kit, that
 * each test then breaks in exactly one way.
 */
final class PipelineFixture {

  static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String NS = "shop";
  static final String AGENT = "system:serviceaccount:agents:planner";
  static final String IMAGE = "registry.example/shop/web:1.4.2";

  final TestSab sab = TestSab.create(CLOCK);
  ObjectNode contractSpec =
      json(
          """
      {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop", "name": "web"}},
       "operations": [{"type": "scale", "constraints": {"minReplicas": 2, "maxReplicas": 6}},
                      {"type": "patch", "constraints": {"allowedPaths": ["/spec/template/metadata/annotations/**"]}}],
       "preconditions": [{"path": "/spec/template/spec/containers/0/image", "equals": "%s"}],
       "reversibility": "reversible"}
      """
              .formatted(IMAGE));
  ObjectNode proposalSpec =
      json(
          """
      {"mandateRef": "planner", "contractRef": "scale-web",
       "operation": {"type": "scale", "replicas": 4}, "justification": "evening peak"}
      """);
  ObjectNode mandateSpec =
      json(
          """
      {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/planner"},
       "scope": [{"contractRef": "scale-web", "operations": ["scale", "patch"], "constraints": {"minReplicas": 2, "maxReplicas": 5}}],
       "lifecycle": {"notAfter": "2030-01-02T00:00:00Z"}}
      """);
  ObjectNode live =
      json(
          """
      {"apiVersion": "apps/v1", "kind": "Deployment",
       "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "42"},
       "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "web", "image": "%s"}]}}}}
      """
              .formatted(IMAGE));
  MandateStatus.Phase mandatePhase = MandateStatus.Phase.Active;
  String submittedBy = AGENT;
  Set<String> decided = new HashSet<>();
  boolean withMandate = true;
  boolean withContract = true;
  boolean withAuthority = true;
  String epochStatement;

  /** When set, used as the authority's current statement instead of verifying one now. */
  java.util.function.Supplier<dev.seb.contracts.epoch.VerifiedEpochStatement> statement;

  Consumer<TestSab.CertificateBuilder> certificate = c -> {};

  /** The broker's high-water mark for the SAB; null when it could not be read. */
  dev.seb.contracts.epoch.HighWaterMark mark = dev.seb.contracts.epoch.HighWaterMark.none();

  /** Ancestors of the mandate, by name. */
  java.util.Map<String, Mandate> ancestors = new java.util.HashMap<>();

  DecisionInput input() {
    try {
      ObjectNode contract = contractSpec.deepCopy();
      if (!contract.has("certificate")) {
        TestSab.CertificateBuilder builder = sab.certificate(contract, NS, "scale-web");
        certificate.accept(builder);
        contract.put("certificate", builder.sign());
      }
      Mandate mandate = new Mandate();
      mandate.setMetadata(new ObjectMetaBuilder().withName("planner").withNamespace(NS).build());
      mandate.setSpec(
          CanonicalJson.mapper()
              .treeToValue(mandateSpec, dev.seb.contracts.v1alpha1.MandateSpec.class));
      MandateStatus status = new MandateStatus();
      status.setPhase(mandatePhase);
      mandate.setStatus(status);
      String compact = epochStatement != null ? epochStatement : sab.epochStatement().sign();
      DecisionInput.Authority authority =
          new DecisionInput.Authority(
              ContractCertificateVerifier.forBroker(sab.sabId(), sab.roots(), "broker-0"),
              statement != null
                  ? statement.get()
                  : new EpochStatementVerifier(sab.sabId(), sab.roots()).verify(compact, CLOCK),
              mark);
      return new DecisionInput(
          new DecisionInput.Proposal(NS, "scale-up", "uid-1", proposalSpec, submittedBy),
          withMandate ? mandate : null,
          ancestors,
          withContract ? new DecisionInput.Contract(NS, "scale-web", contract) : null,
          withAuthority ? authority : null,
          decided,
          live);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) CanonicalJson.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static JsonNode at(ObjectNode node, String pointer) {
    return node.at(pointer);
  }
}
