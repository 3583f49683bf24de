package dev.seb.contracts.epoch;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.time.ClockLeeway;
import dev.seb.contracts.v1alpha1.TrustAnchorStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An epoch statement that {@link EpochStatementVerifier} accepted (ARCHITECTURE §4 "Epoch
 * statement"): the epochs and revocations the SAB says are in force until {@code expiresAt}.
 *
 * @param issuer the SAB id ({@code iss})
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}; after it the statement is stale and every decision fails closed
 * @param minPolicyEpoch certificates with a lower {@code policyEpoch} are no longer honoured
 * @param revocationEpoch certificates must carry exactly this {@code revocationEpoch}
 * @param revokedSerials certificate serials ({@code jti}) that are revoked
 * @param digest {@code sha256:<hex>} of the compact JWS, to say in records which statement applied
 */
public record VerifiedEpochStatement(
    String issuer,
    Instant issuedAt,
    Instant expiresAt,
    long minPolicyEpoch,
    long revocationEpoch,
    Set<String> revokedSerials,
    String digest) {

  /** A verified statement; the serials are copied. */
  public VerifiedEpochStatement {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(digest, "digest");
    revokedSerials = Set.copyOf(revokedSerials);
  }

  /**
   * Throws {@link ReasonCode#EPOCH_STATEMENT_STALE} if the statement has expired at the clock's
   * instant ({@code exp} is exclusive).
   */
  public void requireFresh(Clock clock) throws VerificationException {
    requireFresh(clock, ClockLeeway.NONE);
  }

  /**
   * Throws {@link ReasonCode#EPOCH_STATEMENT_STALE} if the statement counts as expired at the
   * clock's instant: from {@code exp} minus the leeway on, so skew never stretches a statement.
   */
  public void requireFresh(Clock clock, ClockLeeway leeway) throws VerificationException {
    Instant now = clock.instant();
    if (leeway.ended(now, expiresAt)) {
      throw new VerificationException(
          ReasonCode.EPOCH_STATEMENT_STALE,
          "TrustAnchor spec.epochStatement claim 'exp' is "
              + expiresAt
              + ", not after now ("
              + now
              + ")"
              + leeway.describe()
              + "; every decision fails closed until a newer statement is verified");
    }
  }

  /** Copies the statement into a TrustAnchor status (serials sorted, times RFC 3339). */
  public void writeTo(TrustAnchorStatus status) {
    status.setPolicyEpoch(minPolicyEpoch);
    status.setRevocationEpoch(revocationEpoch);
    status.setRevokedSerials(new ArrayList<>(new TreeSet<>(revokedSerials)));
    status.setStatementIssuedAt(issuedAt.toString());
    status.setStatementExpiresAt(expiresAt.toString());
  }
}
