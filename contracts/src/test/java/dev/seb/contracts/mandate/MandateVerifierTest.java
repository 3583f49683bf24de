package dev.seb.contracts.mandate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.VerificationException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may act under a mandate (the stamped submitter), and whether it is in force right now. */
class MandateVerifierTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String AGENT = "system:serviceaccount:shop:planner";

  private static MandateSpec spec(
      String serviceAccount, String notAfter, MandateSpec.Revocation r) {
    return new MandateSpec(
        new MandateSpec.Principal("alice", null, null),
        serviceAccount == null ? null : new MandateSpec.Agent(serviceAccount, null),
        null,
        List.of(new MandateSpec.Scope("web", null, null)),
        null,
        notAfter == null ? null : new MandateSpec.Lifecycle(notAfter, null, null),
        null,
        null,
        r);
  }

  private static MandateSpec agent(String serviceAccount) {
    return spec(serviceAccount, "2025-06-02T00:00:00Z", null);
  }

  private static Mandate mandate(MandateSpec spec, MandateStatus.Phase phase) {
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

  private static Mandate active(String notAfter) {
    return mandate(spec("shop/planner", notAfter, null), MandateStatus.Phase.Active);
  }

  private static void rejected(ThrowingCallable call, ReasonCode reason, String... parts) {
    VerificationException e = catchThrowableOfType(VerificationException.class, call);
    assertThat(e).as("expected " + reason).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).contains(parts);
  }

  // ---- submitter ----

  @Test
  void submitterIsTheMandatesServiceAccount_isAccepted() {
    assertThatCode(() -> MandateVerifier.verifySubmitter(AGENT, agent("shop/planner")))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void blankSubmitter_isMalformed_namingTheAnnotation(String submittedBy) {
    rejected(
        () -> MandateVerifier.verifySubmitter(submittedBy, agent("shop/planner")),
        ReasonCode.MALFORMED_PROPOSAL,
        "metadata.annotations[seb.dev/submitted-by] is missing");
  }

  @Test
  void missingSubmitter_isMalformed() {
    rejected(
        () -> MandateVerifier.verifySubmitter(null, agent("shop/planner")),
        ReasonCode.MALFORMED_PROPOSAL,
        SebKeys.SUBMITTED_BY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "system:serviceaccount:shop:other",
        "system:serviceaccount:other:planner",
        "system:serviceaccount:shop:planner ",
        "System:ServiceAccount:shop:planner",
        "shop/planner",
        "planner",
        "alice",
        "system:serviceaccount:shop:planner:x"
      })
  void anyOtherSubmitter_isAgentMismatch_namingBoth(String submittedBy) {
    rejected(
        () -> MandateVerifier.verifySubmitter(submittedBy, agent("shop/planner")),
        ReasonCode.AGENT_MISMATCH,
        "submitted by '" + submittedBy + "'",
        "Mandate spec.agent.serviceAccount grants it to '" + AGENT + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"planner", "/planner", "shop/", "/"})
  void serviceAccountThatIsNotNamespaceSlashName_isAgentMismatch(String serviceAccount) {
    rejected(
        () -> MandateVerifier.verifySubmitter(AGENT, agent(serviceAccount)),
        ReasonCode.AGENT_MISMATCH,
        "Mandate spec.agent.serviceAccount '" + serviceAccount + "' is not namespace/name");
  }

  @Test
  void mandateWithoutAgent_isAgentMismatch() {
    rejected(
        () -> MandateVerifier.verifySubmitter(AGENT, agent(null)),
        ReasonCode.AGENT_MISMATCH,
        "Mandate spec.agent.serviceAccount 'null'");
  }

  @Test
  void blankSubmitter_isReportedBeforeABrokenMandateAgent() {
    rejected(
        () -> MandateVerifier.verifySubmitter(null, agent(null)),
        ReasonCode.MALFORMED_PROPOSAL,
        SebKeys.SUBMITTED_BY);
  }

  // ---- active ----

  @Test
  void activeMandateBeforeNotAfter_isInForce() {
    assertThatCode(() -> MandateVerifier.verifyActive(active("2025-06-02T00:00:00Z"), CLOCK))
        .doesNotThrowAnyException();
  }

  @Test
  void notAfterWithAnOffset_isAccepted() {
    assertThatCode(() -> MandateVerifier.verifyActive(active("2025-06-01T14:00:01+02:00"), CLOCK))
        .doesNotThrowAnyException();
    rejected(
        () -> MandateVerifier.verifyActive(active("2025-06-01T14:00:00+02:00"), CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "has passed");
  }

  @Test
  void mandateWithoutStatus_isInactive() {
    rejected(
        () -> MandateVerifier.verifyActive(mandate(agent("shop/planner"), null), CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "Mandate planner has no status.phase yet");
  }

  @Test
  void mandateWithStatusButNoPhase_isInactive() {
    Mandate mandate = mandate(agent("shop/planner"), null);
    mandate.setStatus(new MandateStatus());
    rejected(
        () -> MandateVerifier.verifyActive(mandate, CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "no status.phase");
  }

  @ParameterizedTest
  @EnumSource(value = MandateStatus.Phase.class, names = "Active", mode = EnumSource.Mode.EXCLUDE)
  void everyPhaseButActive_isInactive_namingThePhase(MandateStatus.Phase phase) {
    rejected(
        () -> MandateVerifier.verifyActive(mandate(agent("shop/planner"), phase), CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "Mandate planner status.phase is " + phase);
  }

  @Test
  void revocationRequested_isInactive_evenWhileTheStatusStillSaysActive() {
    Mandate mandate =
        mandate(
            spec(
                "shop/planner",
                "2025-06-02T00:00:00Z",
                new MandateSpec.Revocation("alice", "incident 42")),
            MandateStatus.Phase.Active);
    rejected(
        () -> MandateVerifier.verifyActive(mandate, CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "Mandate planner spec.revocation is set by alice");
  }

  @Test
  void notAfterExactlyNow_hasPassed() {
    rejected(
        () -> MandateVerifier.verifyActive(active("2025-06-01T12:00:00Z"), CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "spec.lifecycle.notAfter 2025-06-01T12:00:00Z has passed");
  }

  @Test
  void notAfterOneNanosecondAhead_isStillInForce() {
    assertThatCode(
            () -> MandateVerifier.verifyActive(active("2025-06-01T12:00:00.000000001Z"), CLOCK))
        .doesNotThrowAnyException();
  }

  @Test
  void notAfterInThePast_isInactive() {
    rejected(
        () -> MandateVerifier.verifyActive(active("2025-05-31T00:00:00Z"), CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "spec.lifecycle.notAfter 2025-05-31T00:00:00Z has passed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomorrow", "2025-06-02", "2025-06-02 00:00:00", "", "1717286400"})
  void unparseableNotAfter_isInactive_namingTheValue(String notAfter) {
    rejected(
        () -> MandateVerifier.verifyActive(active(notAfter), CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "spec.lifecycle.notAfter '" + notAfter + "' is not an RFC 3339 instant");
  }

  @Test
  void missingLifecycle_isInactive() {
    Mandate mandate = mandate(spec("shop/planner", null, null), MandateStatus.Phase.Active);
    rejected(
        () -> MandateVerifier.verifyActive(mandate, CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "spec.lifecycle.notAfter 'null'");
  }

  @Test
  void activePhaseForTheCurrentGeneration_isAccepted() {
    Mandate mandate = active("2025-06-02T00:00:00Z");
    mandate.getMetadata().setGeneration(3L);
    mandate.getStatus().setObservedGeneration(3L);
    assertThatCode(() -> MandateVerifier.verifyActive(mandate, CLOCK)).doesNotThrowAnyException();
  }

  @Test
  void activePhaseComputedForAnOlderSpec_isNotTrusted() {
    Mandate mandate = active("2025-06-02T00:00:00Z");
    mandate.getMetadata().setGeneration(4L);
    mandate.getStatus().setObservedGeneration(3L);
    rejected(
        () -> MandateVerifier.verifyActive(mandate, CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "generation 3",
        "generation 4");
    mandate.getStatus().setObservedGeneration(null);
    rejected(
        () -> MandateVerifier.verifyActive(mandate, CLOCK),
        ReasonCode.MANDATE_INACTIVE,
        "not yet accepted by the operator");
  }
}
