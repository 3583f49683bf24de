package dev.seb.contracts.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.pki.Claims;
import dev.seb.contracts.pki.SignedJws;
import dev.seb.contracts.pki.TrustRoots;
import dev.seb.contracts.time.ClockLeeway;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Verifies {@code ExecutionContract.spec.certificate} (ARCHITECTURE §4 "Contract certificate")
 * against one SAB's {@code TrustAnchor}. Immutable and thread-safe.
 *
 * <p>Checks run in this order; the first failure decides. Nothing in the payload is trusted before
 * the chain and signature are, and the order otherwise follows the reason codes of pipeline step 4:
 *
 * <ol>
 *   <li>{@code spec.certificate} present and a non-blank string, else {@link
 *       ReasonCode#NO_CERTIFICATE} (a non-string is {@link ReasonCode#CERTIFICATE_INVALID});
 *   <li>compact JWS, EdDSA or ES256, size bound: {@link ReasonCode#CERTIFICATE_INVALID};
 *   <li>{@code x5c} chain to the anchor's roots at the clock: {@link ReasonCode#UNTRUSTED_ISSUER}
 *       (or the chain reasons of {@link dev.seb.contracts.pki.CertificateChainValidator});
 *   <li>signature by the leaf key: {@link ReasonCode#CERTIFICATE_INVALID};
 *   <li>{@code iss} equals the anchor's {@code sabId}: {@link ReasonCode#UNTRUSTED_ISSUER};
 *   <li>required claims present and well-typed ({@code jti}, {@code sub}, {@code contract}, {@code
 *       nbf}, {@code exp}, {@code policyEpoch}, {@code revocationEpoch}; {@code aud} if present),
 *       {@code nbf < exp}: {@link ReasonCode#CERTIFICATE_INVALID};
 *   <li>{@code sub} equals the digest of the stored spec without {@code certificate}, and {@code
 *       contract} equals {@code namespace/name}: {@link ReasonCode#CONTRACT_DIGEST_MISMATCH} (the
 *       second stops a certificate for contract A being replayed on an identical contract B);
 *   <li>{@code aud}, if present, contains this broker's id: {@link ReasonCode#CERTIFICATE_INVALID};
 *   <li>{@code nbf <= now < exp}: {@link ReasonCode#CERTIFICATE_NOT_YET_VALID}, {@link
 *       ReasonCode#CERTIFICATE_EXPIRED}. There is no leeway: the SAB sets the window.
 * </ol>
 *
 * <p>Epochs and revocation are not checked here; see {@code dev.seb.contracts.epoch.EpochPolicy}.
 */
public final class ContractCertificateVerifier {

  /** The field a certificate is read from, as named in error messages. */
  public static final String FIELD = "spec.certificate";

  private final String sabId;
  private final TrustRoots roots;
  private final String brokerId;

  private ContractCertificateVerifier(String sabId, TrustRoots roots, String brokerId) {
    if (sabId == null || sabId.isBlank()) {
      throw new IllegalArgumentException("sabId is required");
    }
    this.sabId = sabId;
    this.roots = Objects.requireNonNull(roots, "roots");
    this.brokerId = brokerId;
  }

  /**
   * A verifier for a broker: a certificate with an {@code aud} claim must name {@code brokerId}.
   */
  public static ContractCertificateVerifier forBroker(
      String sabId, TrustRoots roots, String brokerId) {
    if (brokerId == null || brokerId.isBlank()) {
      throw new IllegalArgumentException("brokerId is required; use ignoringAudience() otherwise");
    }
    return new ContractCertificateVerifier(sabId, roots, brokerId);
  }

  /**
   * A verifier for a TrustAnchor spec, for a broker.
   *
   * @throws VerificationException ({@link ReasonCode#UNTRUSTED_ISSUER}) if the root bundle is bad
   */
  public static ContractCertificateVerifier forBroker(TrustAnchorSpec anchor, String brokerId)
      throws VerificationException {
    return forBroker(anchor.sabId(), rootsOf(anchor), brokerId);
  }

  /**
   * A verifier that does not check {@code aud}: for the operator's {@code Certified} condition,
   * which holds for every broker. Never use it to admit an execution.
   */
  public static ContractCertificateVerifier ignoringAudience(String sabId, TrustRoots roots) {
    return new ContractCertificateVerifier(sabId, roots, null);
  }

  /** {@link #ignoringAudience(String, TrustRoots)} for a TrustAnchor spec. */
  public static ContractCertificateVerifier ignoringAudience(TrustAnchorSpec anchor)
      throws VerificationException {
    return ignoringAudience(anchor.sabId(), rootsOf(anchor));
  }

  /**
   * Verifies the certificate in a contract spec.
   *
   * @param spec the {@code ExecutionContract.spec} exactly as the API server stored it (the digest
   *     is computed over this tree, so it must not be re-serialised through the Java types)
   * @param namespace the contract's namespace
   * @param name the contract's name
   * @param clock the instant of the decision
   * @return what the certificate says, once every check passed
   * @throws VerificationException on the first failing check, with its reason code
   */
  public VerifiedCertificate verify(JsonNode spec, String namespace, String name, Clock clock)
      throws VerificationException {
    return verify(spec, namespace, name, clock, ClockLeeway.NONE);
  }

  /**
   * Verifies the certificate in a contract spec, tolerating clock skew on {@code nbf} and {@code
   * exp} as {@link ClockLeeway} describes ({@code nbf} accepted the leeway early, {@code exp}
   * reached the leeway early).
   */
  public VerifiedCertificate verify(
      JsonNode spec, String namespace, String name, Clock clock, ClockLeeway leeway)
      throws VerificationException {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(leeway, "leeway");
    try {
      return verifyChecked(spec, namespace, name, clock, leeway);
    } catch (VerificationException e) {
      throw e;
    } catch (RuntimeException e) {
      // fail closed: a surprise is never a certified contract
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID, FIELD + " cannot be verified: " + e, e);
    }
  }

  private VerifiedCertificate verifyChecked(
      JsonNode spec, String namespace, String name, Clock clock, ClockLeeway leeway)
      throws VerificationException {
    if (spec == null || !spec.isObject()) {
      throw new VerificationException(
          ReasonCode.NO_CERTIFICATE, "spec is not an object, so " + FIELD + " is missing");
    }
    JsonNode node = spec.get(Digests.CERTIFICATE_FIELD);
    if (node == null || node.isNull()) {
      throw new VerificationException(ReasonCode.NO_CERTIFICATE, FIELD + " is missing");
    }
    if (!node.isTextual()) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID,
          FIELD + " must be a string (compact JWS), not " + node.getNodeType());
    }
    if (node.asText().isBlank()) {
      throw new VerificationException(ReasonCode.NO_CERTIFICATE, FIELD + " is empty");
    }

    SignedJws signed = SignedJws.verifyIssuedBy(node.asText(), sabId, roots, clock, FIELD);
    Claims claims = signed.claims();

    String serial = claims.requiredString("jti");
    String digest = claims.requiredString("sub");
    String contract = claims.requiredString("contract");
    Instant notBefore = claims.requiredInstant("nbf");
    Instant notAfter = claims.requiredInstant("exp");
    long policyEpoch = claims.requiredNonNegativeLong("policyEpoch");
    long revocationEpoch = claims.requiredNonNegativeLong("revocationEpoch");
    List<String> audience = claims.optionalStringOrList("aud");
    if (!notBefore.isBefore(notAfter)) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID,
          FIELD + " claim 'nbf' (" + notBefore + ") is not before 'exp' (" + notAfter + ")");
    }

    String expectedDigest = Digests.contract(spec);
    if (!expectedDigest.equals(digest)) {
      throw new VerificationException(
          ReasonCode.CONTRACT_DIGEST_MISMATCH,
          FIELD
              + " claim 'sub' is "
              + digest
              + " but the contract spec digests to "
              + expectedDigest);
    }
    String expectedContract = namespace + "/" + name;
    if (!expectedContract.equals(contract)) {
      throw new VerificationException(
          ReasonCode.CONTRACT_DIGEST_MISMATCH,
          FIELD
              + " claim 'contract' is '"
              + contract
              + "' but it is attached to '"
              + expectedContract
              + "'");
    }
    if (brokerId != null && claims.has("aud") && !audience.contains(brokerId)) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID,
          FIELD + " claim 'aud' " + audience + " does not include this broker '" + brokerId + "'");
    }

    Instant now = clock.instant();
    if (leeway.notYet(now, notBefore)) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_NOT_YET_VALID,
          FIELD + " claim 'nbf' is " + notBefore + ", after now (" + now + ")" + leeway.describe());
    }
    if (leeway.ended(now, notAfter)) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_EXPIRED,
          FIELD
              + " claim 'exp' is "
              + notAfter
              + ", not after now ("
              + now
              + ")"
              + leeway.describe());
    }
    return new VerifiedCertificate(
        serial,
        sabId,
        contract,
        digest,
        notBefore,
        notAfter,
        policyEpoch,
        revocationEpoch,
        audience,
        signed.chain().leaf());
  }

  private static TrustRoots rootsOf(TrustAnchorSpec anchor) throws VerificationException {
    Objects.requireNonNull(anchor, "anchor");
    return TrustRoots.fromPem(anchor.rootCertificates(), "TrustAnchor spec.rootCertificates");
  }
}
