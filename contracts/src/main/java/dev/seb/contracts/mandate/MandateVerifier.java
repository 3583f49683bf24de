package dev.seb.contracts.mandate;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.time.ClockLeeway;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import java.time.Clock;
import java.util.Map;

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
   * The mandate on its own is in force ({@link MandateAuthority} with no ancestors and no clock
   * leeway): a delegated mandate is therefore refused, its parent not being known here.
   */
  public static void verifyActive(Mandate mandate, Clock clock) throws VerificationException {
    MandateAuthority.verify(mandate, Map.of(), clock, ClockLeeway.NONE);
  }
}
