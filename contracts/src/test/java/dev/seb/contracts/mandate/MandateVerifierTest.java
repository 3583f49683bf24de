package dev.seb.contracts.mandate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class MandateVerifierTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T12:00:00Z"), ZoneOffset.UTC);

  static MandateSpec spec(String extra) {
    try {
      return CanonicalJson.mapper()
          .readValue(
              """
              {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/planner"},
               "scope": [{"contractRef": "c"}], "lifecycle": {"notAfter": "2030-01-02T00:00:00Z"}%s}
              """
                  .formatted(extra),
              MandateSpec.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Mandate mandate(MandateSpec spec, MandateStatus.Phase phase) {
    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName("planner").withNamespace("shop").build());
    mandate.setSpec(spec);
    if (phase != null) {
      MandateStatus status = new MandateStatus();
      status.setPhase(phase);
      mandate.setStatus(status);
    }
    return mandate;
  }

  private static void assertRejected(ThrowingCallable call, ReasonCode reason, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(messagePart);
            });
  }

  @Test
  void theMandatesAgent_isAccepted() throws Exception {
    MandateVerifier.verifySubmitter("system:serviceaccount:agents:planner", spec(""));
  }

  @Test
  void anyoneElse_isAgentMismatch_andNoStampIsMalformed() {
    assertRejected(
        () -> MandateVerifier.verifySubmitter("system:serviceaccount:agents:other", spec("")),
        ReasonCode.AGENT_MISMATCH,
        "system:serviceaccount:agents:planner");
    assertRejected(
        () -> MandateVerifier.verifySubmitter("alice", spec("")),
        ReasonCode.AGENT_MISMATCH,
        "'alice'");
    assertRejected(
        () -> MandateVerifier.verifySubmitter(" ", spec("")),
        ReasonCode.MALFORMED_PROPOSAL,
        "seb.dev/submitted-by");
  }

  @Test
  void activeMandateInsideItsLifecycle_isInForce() throws Exception {
    MandateVerifier.verifyActive(mandate(spec(""), MandateStatus.Phase.Active), CLOCK);
  }

  @Test
  void mandateNotActive_isInactive_namingWhy() {
    assertRejected(
        () -> MandateVerifier.verifyActive(mandate(spec(""), null), CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "not accepted by the operator");
    assertRejected(
        () -> MandateVerifier.verifyActive(mandate(spec(""), MandateStatus.Phase.Suspended), CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "Suspended");
    assertRejected(
        () ->
            MandateVerifier.verifyActive(
                mandate(
                    spec(", \"revocation\": {\"requestedBy\": \"alice\", \"reason\": \"r\"}"),
                    MandateStatus.Phase.Active),
                CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "spec.revocation");
    Clock later = Clock.fixed(Instant.parse("2030-01-02T00:00:00Z"), ZoneOffset.UTC);
    assertRejected(
        () -> MandateVerifier.verifyActive(mandate(spec(""), MandateStatus.Phase.Active), later),
        ReasonCode.MANDATE_INACTIVE,
        "notAfter");
  }

  @Test
  void conditions_mustAllHold_andFailClosed() throws Exception {
    ConditionEvaluator evaluator = new ConditionEvaluator();
    var proposal =
        CanonicalJson.mapper()
            .readTree(
                "{\"operation\": {\"type\": \"scale\", \"replicas\": 4}, \"justification\": \"peak\"}");
    evaluator.verify(
        List.of(
            new MandateSpec.Condition("small", "proposal.operation.replicas <= 4", null),
            new MandateSpec.Condition("explained", "proposal.justification != ''", null),
            new MandateSpec.Condition("window", "now < timestamp('2031-01-01T00:00:00Z')", null)),
        proposal,
        CLOCK);
    assertRejected(
        () ->
            evaluator.verify(
                List.of(
                    new MandateSpec.Condition(
                        "tiny", "proposal.operation.replicas <= 3", "at most 3")),
                proposal,
                CLOCK),
        ReasonCode.CONDITION_FAILED,
        "(tiny) does not hold: at most 3");
    assertRejected(
        () ->
            evaluator.verify(
                List.of(new MandateSpec.Condition("typo", "proposal.operation.replicas <=", null)),
                proposal,
                CLOCK),
        ReasonCode.CONDITION_FAILED,
        "(typo) is not a valid boolean CEL expression");
    assertRejected(
        () ->
            evaluator.verify(
                List.of(new MandateSpec.Condition("number", "proposal.operation.replicas", null)),
                proposal,
                CLOCK),
        ReasonCode.CONDITION_FAILED,
        "(number)");
    assertRejected(
        () ->
            evaluator.verify(
                List.of(new MandateSpec.Condition("missing", "proposal.nothing.here == 1", null)),
                proposal,
                CLOCK),
        ReasonCode.CONDITION_FAILED,
        "(missing) could not be evaluated");
    assertRejected(
        () ->
            evaluator.verify(
                List.of(new MandateSpec.Condition("long", "true || ".repeat(400) + "true", null)),
                proposal,
                CLOCK),
        ReasonCode.CONDITION_FAILED,
        "longer than");
  }
}
