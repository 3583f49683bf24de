package dev.seb.contracts.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import java.security.PublicKey;
import java.text.ParseException;
import java.util.Map;
import java.util.Set;

/**
 * JWS compact serialization as seb allows it: EdDSA (Ed25519) or ES256, nothing else. {@code alg:
 * none}, HMAC, any other algorithm, unknown {@code crit} headers, a key of the wrong type for the
 * algorithm and oversized input are all rejected before a signature is checked.
 */
public final class Jws {

  /** The algorithms seb accepts; EdDSA is what seb itself signs with. */
  public static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.ES256);

  /** Upper bound on a compact JWS (a certificate with a 3-deep chain is a few KiB). */
  public static final int MAX_LENGTH = 64 * 1024;

  private Jws() {}

  /** Signs the claims with the key: EdDSA for an Ed25519 JWK, ES256 for a P-256 JWK. */
  public static String sign(JWSHeader.Builder header, Map<String, Object> claims, JWK privateKey) {
    try {
      JWSSigner signer;
      if (privateKey instanceof OctetKeyPair okp) {
        signer = new Ed25519Signer(okp);
      } else if (privateKey instanceof ECKey ec) {
        signer = new ECDSASigner(ec);
      } else {
        throw new IllegalArgumentException("seb signs only with Ed25519 or P-256 keys");
      }
      JWSObject jws = new JWSObject(header.build(), new Payload(claims));
      jws.sign(signer);
      return jws.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
  }

  /** A header builder for the algorithm that fits the key. */
  public static JWSHeader.Builder headerFor(JWK key) {
    if (key instanceof OctetKeyPair) {
      return new JWSHeader.Builder(JWSAlgorithm.EdDSA);
    }
    if (key instanceof ECKey) {
      return new JWSHeader.Builder(JWSAlgorithm.ES256);
    }
    throw new IllegalArgumentException("seb signs only with Ed25519 or P-256 keys");
  }

  /**
   * Parses a compact JWS and checks its structure and header, not yet its signature.
   *
   * @param field the resource field it came from, named in error messages
   * @param reason the reason code of a failure
   */
  public static JWSObject parse(String compact, String field, ReasonCode reason)
      throws VerificationException {
    if (compact == null || compact.isBlank()) {
      throw new VerificationException(reason, field + " is empty");
    }
    if (compact.length() > MAX_LENGTH) {
      throw new VerificationException(
          reason,
          field + " is " + compact.length() + " characters, more than the limit of " + MAX_LENGTH);
    }
    JWSObject jws;
    try {
      jws = JWSObject.parse(compact.trim());
    } catch (ParseException | IllegalArgumentException e) {
      throw new VerificationException(
          reason, field + " is not a compact JWS: " + e.getMessage(), e);
    }
    JWSAlgorithm alg = jws.getHeader().getAlgorithm();
    if (!ALLOWED.contains(alg)) {
      throw new VerificationException(
          reason,
          field + " uses algorithm '" + alg + "'; only EdDSA (Ed25519) and ES256 are accepted");
    }
    Set<String> crit = jws.getHeader().getCriticalParams();
    if (crit != null && !crit.isEmpty()) {
      throw new VerificationException(
          reason, field + " has unsupported critical header parameters " + crit);
    }
    return jws;
  }

  /**
   * Checks the signature of a parsed JWS against a public key and returns its JSON object payload.
   * The key type must match the header's algorithm.
   */
  public static Map<String, Object> verify(
      JWSObject jws, PublicKey key, String field, ReasonCode reason) throws VerificationException {
    JWSAlgorithm alg = jws.getHeader().getAlgorithm();
    JWK jwk;
    try {
      jwk = JoseKeys.publicJwk(key);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(reason, field + ": " + e.getMessage(), e);
    }
    boolean verified;
    try {
      JWSVerifier verifier;
      if (JWSAlgorithm.EdDSA.equals(alg) && jwk instanceof OctetKeyPair okp) {
        verifier = new Ed25519JwsVerifier(okp);
      } else if (JWSAlgorithm.ES256.equals(alg) && jwk instanceof ECKey ec) {
        verifier = new ECDSAVerifier(ec);
      } else {
        throw new VerificationException(
            reason,
            field
                + " is signed with "
                + alg
                + " but the signing key is a "
                + key.getAlgorithm()
                + " key");
      }
      verified = jws.verify(verifier);
    } catch (JOSEException | IllegalStateException e) {
      throw new VerificationException(
          reason, field + ": signature cannot be checked: " + e.getMessage(), e);
    }
    if (!verified) {
      throw new VerificationException(reason, field + ": signature does not verify");
    }
    try {
      return JSONObjectUtils.parse(jws.getPayload().toString());
    } catch (ParseException e) {
      throw new VerificationException(reason, field + ": payload is not a JSON object", e);
    }
  }
}
