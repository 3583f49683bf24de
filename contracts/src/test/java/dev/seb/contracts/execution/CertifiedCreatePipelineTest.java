package dev.seb.contracts.execution;

import static dev.seb.contracts.execution.PipelineFixture.CLOCK;
import static dev.seb.contracts.execution.PipelineFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import org.junit.jupiter.api.Test;

/**
 * A create through the whole pipeline: the certificate covers the manifest, the object must equal
 * it, and the admitted execution hands the broker exactly the compared object.
 */
class CertifiedCreatePipelineTest {

  private static final String POD =
      """
      {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "report"},
       "spec": {"containers": [{"name": "report", "image": "registry.example/shop/report:1.0.0",
                                "securityContext": {"runAsNonRoot": true}}]}}
      """;

  private final PipelineFixture fixture = new PipelineFixture();

  CertifiedCreatePipelineTest() {
    fixture.contractSpec =
        json(
            """
            {"target": {"kubernetes": {"apiVersion": "v1", "kind": "Pod", "namespace": "shop", "name": "report"}},
             "operations": [{"type": "create"}], "reversibility": "reversible"}
            """);
    ((ObjectNode) fixture.contractSpec.get("operations").get(0)).set("manifest", json(POD));
    ((ObjectNode) fixture.mandateSpec.get("scope").get(0)).remove("constraints");
    ((ObjectNode) fixture.mandateSpec.get("scope").get(0)).putArray("operations").add("create");
    fixture.live = null; // nothing exists yet
  }

  private Decision propose(ObjectNode object) {
    ObjectNode operation = fixture.proposalSpec.putObject("operation");
    operation.put("type", "create").set("object", object);
    return new DecisionPipeline(CLOCK).decide(fixture.input());
  }

  @Test
  void theCertifiedObject_isAdmitted_andIsWhatTheBrokerCreates() {
    Decision decision = propose(json(POD));

    assertThat(decision).as(decision.toString()).isInstanceOf(Decision.Admit.class);
    ObjectNode expected = json(POD);
    ((ObjectNode) expected.get("metadata")).put("namespace", "shop");
    assertThat(((Decision.Admit) decision).execution().objectToCreate()).isEqualTo(expected);
  }

  @Test
  void aPrivilegedVariant_isDenied_namingThePointer() {
    ObjectNode privileged = json(POD);
    ((ObjectNode) privileged.at("/spec/containers/0/securityContext")).put("privileged", true);

    Decision decision = propose(privileged);

    assertThat(decision).isInstanceOf(Decision.Deny.class);
    Decision.Deny deny = (Decision.Deny) decision;
    assertThat(deny.reason()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(deny.message()).contains("/spec/containers/0/securityContext/privileged");
  }

  @Test
  void aManifestChangedAfterCertification_isADigestMismatch() {
    ObjectNode certified = fixture.contractSpec.deepCopy();
    certified.put(
        "certificate", fixture.sab.certificate(certified, PipelineFixture.NS, "scale-web").sign());
    ((ObjectNode) certified.at("/operations/0/manifest/spec/containers/0/securityContext"))
        .put("privileged", true);
    fixture.contractSpec = certified;
    ObjectNode privileged = json(POD);
    ((ObjectNode) privileged.at("/spec/containers/0/securityContext")).put("privileged", true);

    Decision decision = propose(privileged);

    assertThat(decision).isInstanceOf(Decision.Deny.class);
    assertThat(((Decision.Deny) decision).reason()).isEqualTo(ReasonCode.CONTRACT_DIGEST_MISMATCH);
  }
}
