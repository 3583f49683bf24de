package dev.seb.contracts.mandate;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Who may act under a mandate, and whether it is in force right now. */
public final class MandateVerifier {

  private MandateVerifier() {}

  /**
   * The stamped submitter must be the mandate's agent: {@code system:serviceaccount:<ns>:<name>}
   * for {@code spec.agent.serviceAccount: <ns>/<name>}.
   */
  public static void verifySubmitter(String submittedBy, MandateSpec mandate)
      throws VerificationException {
    if (submittedBy == null || submittedBy.isBlank()) {
      throw new VerificationException(
          ReasonCode.MALFORMED_PROPOSAL,
          "metadata.annotations[seb.dev/submitted-by] is missing: the proposal was not admitted through seb's webhook");
    }
    String account = mandate.agent() == null ? null : mandate.agent().serviceAccount();
    int slash = account == null ? -1 : account.indexOf('/');
    if (slash <= 0 || slash == account.length() - 1) {
      throw new VerificationException(
          ReasonCode.AGENT_MISMATCH,
          "Mandate spec.agent.serviceAccount '" + account + "' is not namespace/name");
    }
    String expected =
        "system:serviceaccount:" + account.substring(0, slash) + ":" + account.substring(slash + 1);
    if (!expected.equals(submittedBy)) {
      throw new VerificationException(
          ReasonCode.AGENT_MISMATCH,
          "submitted by '"
              + submittedBy
              + "', but Mandate spec.agent.serviceAccount grants it to '"
              + expected
              + "'");
    }
  }

  /**
   * The mandate is {@code Active} in the operator's status, not revoked, and before its {@code
   * lifecycle.notAfter}. A mandate the operator has not accepted yet is inactive.
   */
  public static void verifyActive(Mandate mandate, Clock clock) throws VerificationException {
    String name = mandate.getMetadata() == null ? "?" : mandate.getMetadata().getName();
    MandateSpec spec = mandate.getSpec();
    MandateStatus status = mandate.getStatus();
    if (status == null || status.getPhase() == null) {
      throw new VerificationException(
          ReasonCode.MANDATE_INACTIVE,
          "Mandate " + name + " has no status.phase yet: not accepted by the operator");
    }
    if (status.getPhase() != MandateStatus.Phase.Active) {
      throw new VerificationException(
          ReasonCode.MANDATE_INACTIVE, "Mandate " + name + " status.phase is " + status.getPhase());
    }
    if (spec.revocation() != null) {
      throw new VerificationException(
          ReasonCode.MANDATE_INACTIVE,
          "Mandate " + name + " spec.revocation is set by " + spec.revocation().requestedBy());
    }
    Long generation = mandate.getMetadata() == null ? null : mandate.getMetadata().getGeneration();
    if (generation != null && !generation.equals(status.getObservedGeneration())) {
      // the phase was computed for another spec: wait for the operator to look at this one
      throw new VerificationException(
          ReasonCode.MANDATE_INACTIVE,
          "Mandate "
              + name
              + " status.phase Active is for generation "
              + status.getObservedGeneration()
              + ", but the spec is at generation "
              + generation
              + ": not yet accepted by the operator");
    }
    String notAfter = spec.lifecycle() == null ? null : spec.lifecycle().notAfter();
    Instant end;
    try {
      end = Instant.parse(notAfter);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new VerificationException(
          ReasonCode.MANDATE_INACTIVE,
          "Mandate "
              + name
              + " spec.lifecycle.notAfter '"
              + notAfter
              + "' is not an RFC 3339 instant",
          e);
    }
    if (!clock.instant().isBefore(end)) {
      throw new VerificationException(
          ReasonCode.MANDATE_INACTIVE,
          "Mandate " + name + " spec.lifecycle.notAfter " + notAfter + " has passed");
    }
  }
}
