package dev.seb.contracts.epoch;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.certificate.VerifiedCertificate;
import dev.seb.contracts.time.ClockLeeway;
import java.time.Clock;
import java.util.Objects;

/**
 * Pipeline step 5: a verified contract certificate against the current verified epoch statement.
 *
 * <p>Order: the statement comes first (absent, from another issuer, or stale: {@link
 * ReasonCode#EPOCH_STATEMENT_STALE}), because a stale revocation list cannot clear anything. Then
 * the serial ({@link ReasonCode#CERTIFICATE_REVOKED}), the revocation epoch, which must be equal
 * ({@link ReasonCode#REVOCATION_EPOCH_STALE}; a certificate from a newer epoch than the statement
 * means the broker is behind, which is no better), and the policy epoch, which must be at least the
 * minimum ({@link ReasonCode#POLICY_EPOCH_STALE}).
 */
public final class EpochPolicy {

  private EpochPolicy() {}

  /**
   * Returns normally only if the certificate is current under the statement at the clock.
   *
   * @param certificate the verified contract certificate
   * @param statement the current verified statement of the TrustAnchor, or null if there is none
   * @param clock now
   */
  public static void check(
      VerifiedCertificate certificate, VerifiedEpochStatement statement, Clock clock)
      throws VerificationException {
    checkStatement(certificate, statement);
    checkAgainst(certificate, statement, clock, ClockLeeway.NONE);
  }

  /**
   * The broker's step 5: as {@link #check(VerifiedCertificate, VerifiedEpochStatement, Clock)}, and
   * the statement must not be below the broker's own durable high-water mark for its SAB ({@link
   * ReasonCode#EPOCH_ROLLBACK}): re-applying an older, still valid statement (a GitOps revert)
   * would otherwise un-revoke serials. Without a mark nothing is compared, so nothing is admitted.
   *
   * @param mark the broker's mark for the certificate's issuer, or null when it could not be read
   * @param leeway tolerated clock skew for the statement's {@code exp}
   */
  public static void check(
      VerifiedCertificate certificate,
      VerifiedEpochStatement statement,
      HighWaterMark mark,
      Clock clock,
      ClockLeeway leeway)
      throws VerificationException {
    Objects.requireNonNull(leeway, "leeway");
    checkStatement(certificate, statement);
    if (mark == null) {
      throw new VerificationException(
          ReasonCode.INTERNAL_ERROR,
          "the broker's epoch high-water mark for issuer '"
              + certificate.issuer()
              + "' cannot be read, so a rolled-back spec.epochStatement could not be told apart;"
              + " every decision fails closed");
    }
    mark.advance(statement);
    checkAgainst(certificate, statement, clock, leeway);
  }

  private static void checkStatement(
      VerifiedCertificate certificate, VerifiedEpochStatement statement)
      throws VerificationException {
    Objects.requireNonNull(certificate, "certificate");
    if (statement == null) {
      throw new VerificationException(
          ReasonCode.EPOCH_STATEMENT_STALE,
          "no verified epoch statement (TrustAnchor spec.epochStatement) for issuer '"
              + certificate.issuer()
              + "'; every decision fails closed");
    }
    if (!statement.issuer().equals(certificate.issuer())) {
      throw new VerificationException(
          ReasonCode.EPOCH_STATEMENT_STALE,
          "the epoch statement is from '"
              + statement.issuer()
              + "' but spec.certificate claim 'iss' is '"
              + certificate.issuer()
              + "'; there is no statement for that issuer");
    }
  }

  private static void checkAgainst(
      VerifiedCertificate certificate,
      VerifiedEpochStatement statement,
      Clock clock,
      ClockLeeway leeway)
      throws VerificationException {
    Objects.requireNonNull(clock, "clock");
    statement.requireFresh(clock, leeway);
    if (statement.revokedSerials().contains(certificate.serial())) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_REVOKED,
          "spec.certificate claim 'jti' ("
              + certificate.serial()
              + ") is in the epoch statement's revokedSerials");
    }
    if (certificate.revocationEpoch() != statement.revocationEpoch()) {
      throw new VerificationException(
          ReasonCode.REVOCATION_EPOCH_STALE,
          "spec.certificate claim 'revocationEpoch' is "
              + certificate.revocationEpoch()
              + " but the epoch statement's revocationEpoch is "
              + statement.revocationEpoch());
    }
    if (certificate.policyEpoch() < statement.minPolicyEpoch()) {
      throw new VerificationException(
          ReasonCode.POLICY_EPOCH_STALE,
          "spec.certificate claim 'policyEpoch' is "
              + certificate.policyEpoch()
              + ", below the epoch statement's minPolicyEpoch "
              + statement.minPolicyEpoch());
    }
  }
}
