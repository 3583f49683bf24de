package dev.seb.contracts.pki;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.Base64;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.jose.Jws;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compact JWS whose signing key is carried in its {@code x5c} header: the shape of everything a
 * SAB signs. {@link #verify} checks, in this order, so that no claim is read before it is known to
 * come from the SAB: the JWS structure and algorithm (EdDSA or ES256 only), the {@code x5c} chain
 * to the roots at the clock's instant, then the signature by the chain's leaf key.
 *
 * @param claims the verified payload
 * @param chain the validated signing chain
 */
public record SignedJws(Claims claims, ValidatedChain chain) {

  /** A verified JWS. */
  public SignedJws {
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(chain, "chain");
  }

  /**
   * Verifies a SAB-signed compact JWS.
   *
   * @param compact the JWS
   * @param roots the SAB's roots
   * @param clock the instant the chain must be valid at
   * @param field the resource field it came from, named in every error message
   * @throws VerificationException {@link ReasonCode#CERTIFICATE_INVALID} for a malformed JWS, a
   *     forbidden algorithm, a bad signature or a key that does not fit the algorithm; the chain
   *     reasons of {@link CertificateChainValidator} otherwise
   */
  public static SignedJws verify(String compact, TrustRoots roots, Clock clock, String field)
      throws VerificationException {
    Objects.requireNonNull(roots, "roots");
    Objects.requireNonNull(clock, "clock");
    try {
      JWSObject jws = Jws.parse(compact, field, ReasonCode.CERTIFICATE_INVALID);
      List<Base64> header = jws.getHeader().getX509CertChain();
      List<String> x5c = null;
      if (header != null) {
        x5c = new ArrayList<>(header.size());
        for (Base64 element : header) {
          x5c.add(element == null ? null : element.toString());
        }
      }
      ValidatedChain chain =
          CertificateChainValidator.validate(x5c, roots, clock, field + " header x5c");
      Claims claims =
          new Claims(
              Jws.verify(jws, chain.leaf().getPublicKey(), field, ReasonCode.CERTIFICATE_INVALID),
              field);
      return new SignedJws(claims, chain);
    } catch (VerificationException e) {
      throw e;
    } catch (RuntimeException e) {
      // fail closed: nothing unexpected may pass as a verified signature
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID, field + " cannot be verified: " + e, e);
    }
  }

  /**
   * {@link #verify} and then requires the {@code iss} claim to be the SAB's id; another issuer is
   * {@code UNTRUSTED_ISSUER}, even when its chain reaches one of the roots.
   */
  public static SignedJws verifyIssuedBy(
      String compact, String sabId, TrustRoots roots, Clock clock, String field)
      throws VerificationException {
    SignedJws signed = verify(compact, roots, clock, field);
    String issuer = signed.claims().requiredString("iss");
    if (!sabId.equals(issuer)) {
      throw new VerificationException(
          ReasonCode.UNTRUSTED_ISSUER,
          field
              + " claim 'iss' is '"
              + issuer
              + "' but the TrustAnchor's sabId is '"
              + sabId
              + "'");
    }
    return signed;
  }
}
