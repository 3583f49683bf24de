package dev.seb.contracts.execution;

import static dev.seb.contracts.execution.PipelineFixture.CLOCK;
import static dev.seb.contracts.execution.PipelineFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.epoch.EpochStatementVerifier;
import dev.seb.contracts.v1alpha1.MandateStatus;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline end to end, in process: one golden admission, one hold, and for every reason code
 * the single change to the golden input that must produce it. Also the capability rules: only an
 * admission carries an AdmittedExecution, and nothing outside the pipeline can make one.
 */
class DecisionPipelineTest {

  private final PipelineFixture fixture = new PipelineFixture();
  private final DecisionPipeline pipeline = new DecisionPipeline(CLOCK);

  private Decision decide() {
    return pipeline.decide(fixture.input());
  }

  private void assertDenied(ReasonCode reason, String... messageParts) {
    Decision decision = decide();
    assertThat(decision).isInstanceOf(Decision.Deny.class);
    Decision.Deny deny = (Decision.Deny) decision;
    assertThat(deny.reason()).as(deny.message()).isEqualTo(reason);
    assertThat(deny.message()).contains(messageParts);
  }

  @Test
  void goldenScale_isAdmitted_withTheCapabilityBoundToTheCheckedResourceVersion() {
    Decision decision = decide();
    assertThat(decision).isInstanceOf(Decision.Admit.class);
    AdmittedExecution admitted = ((Decision.Admit) decision).execution();
    assertThat(admitted.resourceVersion()).isEqualTo("42");
    assertThat(admitted.target().name()).isEqualTo("web");
    assertThat(admitted.operation().replicas()).isEqualTo(4);
    assertThat(admitted.proposalRef()).isEqualTo("shop/scale-up");
    assertThat(admitted.mandateRef()).isEqualTo("shop/planner");
    assertThat(admitted.proposalDigest())
        .isEqualTo(decision.proposalDigest())
        .startsWith("sha256:");
    assertThat(admitted.admittedAt()).isEqualTo(NOW);
    assertThat(admitted.preState())
        .as("the state checked, for the records")
        .isEqualTo(dev.seb.contracts.canonical.Digests.state(fixture.input().liveTarget()))
        .startsWith("sha256:");
  }

  @Test
  void irreversibleContract_isHeld_notExecuted() {
    fixture.contractSpec.put("reversibility", "irreversible");
    Decision decision = decide();
    assertThat(decision).isInstanceOf(Decision.Hold.class);
    assertThat(((Decision.Hold) decision).reason()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
  }

  @Test
  void approvalRequired_isHeld() {
    fixture.contractSpec.putObject("approval").put("required", true);
    Decision decision = decide();
    assertThat(decision).isInstanceOf(Decision.Hold.class);
    assertThat(((Decision.Hold) decision).message()).contains("spec.approval.required");
  }

  @Test
  void unstampedProposal_isMalformed() {
    fixture.submittedBy = null;
    fixture.withMandate = false;
    assertDenied(ReasonCode.MALFORMED_PROPOSAL, SebKeys.SUBMITTED_BY);
  }

  @Test
  void patchWithoutPatch_isMalformed() {
    fixture.proposalSpec.putObject("operation").put("type", "patch").put("patchType", "merge");
    assertDenied(ReasonCode.MALFORMED_PROPOSAL, "spec.operation.patch");
  }

  @Test
  void unknownOperationType_isMalformed() {
    ((ObjectNode) fixture.proposalSpec.get("operation")).put("type", "exec");
    assertDenied(ReasonCode.MALFORMED_PROPOSAL, "spec");
  }

  @Test
  void otherSubmitter_isAgentMismatch() {
    fixture.submittedBy = "system:serviceaccount:agents:intruder";
    assertDenied(ReasonCode.AGENT_MISMATCH, "intruder");
  }

  @Test
  void alreadyDecidedDigest_isReplay() {
    String digest = decide().proposalDigest();
    fixture.decided.add(digest);
    assertDenied(ReasonCode.REPLAY, digest);
  }

  @Test
  void missingMandate_isMandateMissing() {
    fixture.withMandate = false;
    assertDenied(ReasonCode.MANDATE_MISSING, "spec.mandateRef");
  }

  @Test
  void revokedMandate_isMandateInactive() {
    fixture.mandatePhase = MandateStatus.Phase.Revoked;
    assertDenied(ReasonCode.MANDATE_INACTIVE, "Revoked");
  }

  @Test
  void mandatePastNotAfter_isMandateInactive() {
    ((ObjectNode) fixture.mandateSpec.get("lifecycle")).put("notAfter", "2030-01-01T11:00:00Z");
    assertDenied(ReasonCode.MANDATE_INACTIVE, "notAfter");
  }

  @Test
  void failingCondition_isConditionFailed() {
    fixture
        .mandateSpec
        .putArray("conditions")
        .addObject()
        .put("name", "small-steps")
        .put("expression", "proposal.operation.replicas <= 3")
        .put("message", "scale in steps of at most 3");
    assertDenied(ReasonCode.CONDITION_FAILED, "small-steps");
  }

  @Test
  void missingContract_hasNoCertificate() {
    fixture.withContract = false;
    assertDenied(ReasonCode.NO_CERTIFICATE, "spec.contractRef");
  }

  @Test
  void uncertifiedContract_hasNoCertificate() {
    fixture.contractSpec.put("certificate", "");
    assertDenied(ReasonCode.NO_CERTIFICATE, "spec.certificate");
  }

  @Test
  void garbageCertificate_isInvalid() {
    fixture.contractSpec.put("certificate", "not-a-jws");
    assertDenied(ReasonCode.CERTIFICATE_INVALID, "spec.certificate");
  }

  @Test
  void certificateFromAnotherSab_isUntrusted() {
    var other = dev.seb.contracts.testkit.TestSab.create(CLOCK);
    ObjectNode spec = fixture.contractSpec.deepCopy();
    fixture.contractSpec.put("certificate", other.certificate(spec, "shop", "scale-web").sign());
    assertDenied(ReasonCode.UNTRUSTED_ISSUER, "spec.certificate");
  }

  @Test
  void contractEditedAfterCertification_isDigestMismatch() {
    ObjectNode certified = fixture.contractSpec.deepCopy();
    String certificate = fixture.sab.certificate(certified, "shop", "scale-web").sign();
    ((ObjectNode) fixture.contractSpec.at("/operations/0/constraints")).put("maxReplicas", 60);
    fixture.contractSpec.put("certificate", certificate);
    assertDenied(ReasonCode.CONTRACT_DIGEST_MISMATCH, "sub");
  }

  @Test
  void certificateNotYetValid_isDenied() {
    fixture.certificate = c -> c.notBefore(NOW.plusSeconds(60)).notAfter(NOW.plusSeconds(3600));
    assertDenied(ReasonCode.CERTIFICATE_NOT_YET_VALID, "nbf");
  }

  @Test
  void expiredCertificate_isDenied() {
    fixture.certificate = c -> c.notBefore(NOW.minusSeconds(3600)).notAfter(NOW.minusSeconds(1));
    assertDenied(ReasonCode.CERTIFICATE_EXPIRED, "exp");
  }

  @Test
  void revokedSerial_isDenied() {
    fixture.certificate = c -> c.serial("serial-7");
    fixture.epochStatement = fixture.sab.epochStatement().revoke("serial-7").sign();
    assertDenied(ReasonCode.CERTIFICATE_REVOKED, "serial-7");
  }

  @Test
  void certificateFromAnOlderRevocationEpoch_isStale() {
    fixture.epochStatement = fixture.sab.epochStatement().revocationEpoch(2).sign();
    assertDenied(ReasonCode.REVOCATION_EPOCH_STALE, "revocationEpoch");
  }

  @Test
  void certificateBelowThePolicyMinimum_isStale() {
    fixture.epochStatement = fixture.sab.epochStatement().minPolicyEpoch(2).sign();
    assertDenied(ReasonCode.POLICY_EPOCH_STALE, "policyEpoch");
  }

  @Test
  void statementThatExpiredSinceItWasVerified_failsClosed() {
    Clock earlier = Clock.fixed(NOW.minus(Duration.ofMinutes(90)), ZoneOffset.UTC);
    String compact =
        fixture
            .sab
            .epochStatement()
            .issuedAt(NOW.minus(Duration.ofHours(2)))
            .expiresAt(NOW.minus(Duration.ofHours(1)))
            .sign();
    fixture.statement =
        () -> {
          try {
            return new EpochStatementVerifier(fixture.sab.sabId(), fixture.sab.roots())
                .verify(compact, earlier);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    assertDenied(ReasonCode.EPOCH_STATEMENT_STALE, "exp");
  }

  @Test
  void noVerifiedStatement_failsClosed() {
    fixture.statement = () -> null;
    assertDenied(ReasonCode.EPOCH_STATEMENT_STALE, "statement");
  }

  @Test
  void noTrustAnchorForTheIssuer_isUntrustedIssuer() {
    fixture.withAuthority = false;
    assertDenied(ReasonCode.UNTRUSTED_ISSUER, "no ready TrustAnchor", fixture.sab.sabId());
  }

  @Test
  void noTrustAnchorAndAGarbageCertificate_isCertificateInvalid() {
    fixture.withAuthority = false;
    fixture.contractSpec.put("certificate", "not-a-jws");
    assertDenied(ReasonCode.CERTIFICATE_INVALID, "spec.certificate", "iss");
  }

  @Test
  void noTrustAnchorAndNoCertificate_isNoCertificate() {
    fixture.withAuthority = false;
    fixture.contractSpec.put("certificate", "");
    assertDenied(ReasonCode.NO_CERTIFICATE, "spec.certificate");
  }

  @Test
  void replicasAboveTheMandatesNarrowerMaximum_isScopeViolation() {
    ((ObjectNode) fixture.proposalSpec.get("operation")).put("replicas", 6);
    assertDenied(ReasonCode.SCOPE_VIOLATION, "replicas");
  }

  @Test
  void operationTheMandateDoesNotGrant_isScopeViolation() {
    ((ObjectNode) fixture.mandateSpec.withArray("scope").get(0))
        .putArray("operations")
        .add("patch");
    assertDenied(ReasonCode.SCOPE_VIOLATION, "scale");
  }

  @Test
  void patchOutsideAllowedPaths_isScopeViolation() {
    ObjectNode operation = fixture.proposalSpec.putObject("operation");
    operation.put("type", "patch").put("patchType", "json");
    operation
        .putArray("patch")
        .addObject()
        .put("op", "replace")
        .put("path", "/spec/template/spec/containers/0/image")
        .put("value", "evil:latest");
    assertDenied(ReasonCode.SCOPE_VIOLATION, "/spec/template/spec/containers/0/image");
  }

  @Test
  void mandateForAnotherContract_isScopeViolation() {
    ((ObjectNode) fixture.mandateSpec.withArray("scope").get(0)).put("contractRef", "other");
    assertDenied(ReasonCode.SCOPE_VIOLATION, "scale-web");
  }

  @Test
  void imageChangedBehindSebsBack_isDrift() {
    ((ObjectNode) fixture.live.at("/spec/template/spec/containers/0")).put("image", "evil:latest");
    assertDenied(ReasonCode.DRIFT_DETECTED, "/spec/template/spec/containers/0/image");
  }

  @Test
  void staleObservedResourceVersion_isDrift() {
    fixture.proposalSpec.putObject("observed").put("resourceVersion", "41");
    assertDenied(ReasonCode.DRIFT_DETECTED, "41");
  }

  @Test
  void deletedTarget_isDrift() {
    fixture.live = null;
    assertDenied(ReasonCode.DRIFT_DETECTED, "does not exist");
  }

  @Test
  void unexpectedFailure_isInternalErrorDenial_neverAnAdmission() {
    DecisionInput broken = fixture.input();
    broken.mandate().setMetadata(null); // the pipeline dereferences it while admitting
    Decision decision = pipeline.decide(broken);
    assertThat(decision).isInstanceOf(Decision.Deny.class);
    assertThat(((Decision.Deny) decision).reason()).isEqualTo(ReasonCode.INTERNAL_ERROR);
  }

  @Test
  void onlyAnAdmissionCarriesTheCapability_andNothingElseCanConstructIt() throws Exception {
    assertThat(AdmittedExecution.class.getDeclaredConstructors())
        .allSatisfy(
            c ->
                assertThat(
                        Modifier.isPublic(c.getModifiers())
                            || Modifier.isProtected(c.getModifiers()))
                    .isFalse());
    assertThat(Modifier.isFinal(AdmittedExecution.class.getModifiers())).isTrue();
    assertThat(Decision.class.getPermittedSubclasses())
        .containsExactlyInAnyOrder(Decision.Admit.class, Decision.Deny.class, Decision.Hold.class);

    List<AdmittedExecution> executed = new ArrayList<>();
    Executor<Void> executor =
        admitted -> {
          executed.add(admitted);
          return null;
        };
    fixture.mandatePhase = MandateStatus.Phase.Revoked;
    Decision denied = decide();
    if (denied instanceof Decision.Admit admit) {
      executor.execute(admit.execution());
    }
    assertThat(denied).isInstanceOf(Decision.Deny.class);
    assertThat(executed).isEmpty();
  }
}
