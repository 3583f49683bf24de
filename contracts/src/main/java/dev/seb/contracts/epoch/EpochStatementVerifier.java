package dev.seb.contracts.epoch;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.pki.Claims;
import dev.seb.contracts.pki.SignedJws;
import dev.seb.contracts.pki.TrustRoots;
import dev.seb.contracts.time.ClockLeeway;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;

/**
 * Verifies {@code TrustAnchor.spec.epochStatement} (ARCHITECTURE §4 "Epoch statement") against the
 * same SAB's roots. Immutable and thread-safe. Rollback against what was seen before is {@link
 * HighWaterMark}'s job; this class only says whether a statement is genuine and current.
 *
 * <p>Checks, in order:
 *
 * <ol>
 *   <li>present and non-blank, else {@link ReasonCode#EPOCH_STATEMENT_STALE} (no statement means
 *       nothing is fresh);
 *   <li>JWS structure, algorithm, {@code x5c} chain and signature as for a contract certificate
 *       ({@link ReasonCode#CERTIFICATE_INVALID}, {@link ReasonCode#UNTRUSTED_ISSUER}, ...);
 *   <li>{@code iss} equals the anchor's {@code sabId}: {@link ReasonCode#UNTRUSTED_ISSUER};
 *   <li>{@code iat}, {@code exp}, {@code minPolicyEpoch}, {@code revocationEpoch}, {@code
 *       revokedSerials} present and well-typed, {@code iat < exp}: {@link
 *       ReasonCode#CERTIFICATE_INVALID};
 *   <li>{@code iat} not in the future: {@link ReasonCode#CERTIFICATE_NOT_YET_VALID} (a statement
 *       from the future would lift the high-water mark's time ahead of every honest statement);
 *   <li>{@code exp} after now: {@link ReasonCode#EPOCH_STATEMENT_STALE}.
 * </ol>
 */
public final class EpochStatementVerifier {

  /** The field a statement is read from, as named in error messages. */
  public static final String FIELD = "spec.epochStatement";

  private final String sabId;
  private final TrustRoots roots;

  /** A verifier for statements of the SAB {@code sabId} chaining to {@code roots}. */
  public EpochStatementVerifier(String sabId, TrustRoots roots) {
    if (sabId == null || sabId.isBlank()) {
      throw new IllegalArgumentException("sabId is required");
    }
    this.sabId = sabId;
    this.roots = Objects.requireNonNull(roots, "roots");
  }

  /**
   * A verifier for a TrustAnchor's SAB.
   *
   * @throws VerificationException ({@link ReasonCode#UNTRUSTED_ISSUER}) if the root bundle is bad
   */
  public static EpochStatementVerifier forAnchor(TrustAnchorSpec anchor)
      throws VerificationException {
    Objects.requireNonNull(anchor, "anchor");
    return new EpochStatementVerifier(
        anchor.sabId(),
        TrustRoots.fromPem(anchor.rootCertificates(), "TrustAnchor spec.rootCertificates"));
  }

  /**
   * Verifies a statement at the clock's instant.
   *
   * @param compact the compact JWS
   * @param clock now
   * @return the statement, once every check passed
   * @throws VerificationException on the first failing check
   */
  public VerifiedEpochStatement verify(String compact, Clock clock) throws VerificationException {
    return verify(compact, clock, ClockLeeway.NONE);
  }

  /**
   * Verifies a statement at the clock's instant, tolerating skew as {@link ClockLeeway} describes:
   * {@code iat} up to the leeway in the future is accepted, {@code exp} counts the leeway early.
   */
  public VerifiedEpochStatement verify(String compact, Clock clock, ClockLeeway leeway)
      throws VerificationException {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(leeway, "leeway");
    try {
      return verifyChecked(compact, clock, leeway);
    } catch (VerificationException e) {
      throw e;
    } catch (RuntimeException e) {
      // fail closed: a statement we could not understand is no statement
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID, FIELD + " cannot be verified: " + e, e);
    }
  }

  private VerifiedEpochStatement verifyChecked(String compact, Clock clock, ClockLeeway leeway)
      throws VerificationException {
    if (compact == null || compact.isBlank()) {
      throw new VerificationException(
          ReasonCode.EPOCH_STATEMENT_STALE,
          FIELD + " is missing; without an epoch statement every decision fails closed");
    }
    SignedJws signed = SignedJws.verifyIssuedBy(compact, sabId, roots, clock, FIELD);
    Claims claims = signed.claims();

    Instant issuedAt = claims.requiredInstant("iat");
    Instant expiresAt = claims.requiredInstant("exp");
    long minPolicyEpoch = claims.requiredNonNegativeLong("minPolicyEpoch");
    long revocationEpoch = claims.requiredNonNegativeLong("revocationEpoch");
    HashSet<String> revoked = new HashSet<>(claims.requiredStringList("revokedSerials"));
    if (!issuedAt.isBefore(expiresAt)) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID,
          FIELD + " claim 'iat' (" + issuedAt + ") is not before 'exp' (" + expiresAt + ")");
    }
    Instant now = clock.instant();
    if (leeway.notYet(now, issuedAt)) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_NOT_YET_VALID,
          FIELD + " claim 'iat' is " + issuedAt + ", after now (" + now + ")" + leeway.describe());
    }
    VerifiedEpochStatement statement =
        new VerifiedEpochStatement(
            sabId,
            issuedAt,
            expiresAt,
            minPolicyEpoch,
            revocationEpoch,
            revoked,
            CanonicalJson.sha256(compact.trim()));
    statement.requireFresh(clock, leeway);
    return statement;
  }
}
