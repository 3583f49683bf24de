package dev.seb.contracts.pki;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a JWS {@code x5c} chain (RFC 7515 §4.1.6: leaf first, standard base64 of DER) to one of
 * a SAB's {@link TrustRoots} at the {@link Clock}'s instant, with Java PKIX.
 *
 * <p>Revocation checking is off on purpose: seb learns about revocation from signed epoch
 * statements, not from CRLs or OCSP (which would also be I/O).
 *
 * <p>Reason codes, so that a status tells an operator where to look:
 *
 * <ul>
 *   <li>{@link ReasonCode#CERTIFICATE_INVALID}: the chain is missing, too long, not base64, not DER
 *       X.509, or the leaf is unfit to sign (a CA, or no {@code digitalSignature} key usage);
 *   <li>{@link ReasonCode#CERTIFICATE_EXPIRED} / {@link ReasonCode#CERTIFICATE_NOT_YET_VALID}: the
 *       leaf or an intermediate is outside its validity period;
 *   <li>{@link ReasonCode#UNTRUSTED_ISSUER}: the chain does not end at a root, is out of order,
 *       carries a bad signature, an intermediate is not a CA, lacks {@code keyCertSign} or exceeds
 *       a {@code pathLen}, or the root itself is outside its validity period.
 * </ul>
 */
public final class CertificateChainValidator {

  /** Most certificates an {@code x5c} may carry, root included. */
  public static final int MAX_CHAIN_LENGTH = 5;

  /** Largest DER certificate accepted. */
  public static final int MAX_CERTIFICATE_BYTES = 16 * 1024;

  /** Base64 length of {@link #MAX_CERTIFICATE_BYTES}, checked before decoding. */
  private static final int MAX_CERTIFICATE_BASE64 = 4 * ((MAX_CERTIFICATE_BYTES + 2) / 3);

  /** Key usage bit 0 (RFC 5280 §4.2.1.3). */
  private static final int DIGITAL_SIGNATURE = 0;

  private CertificateChainValidator() {}

  /**
   * Validates the chain and returns it with the leaf whose key may check the signature.
   *
   * @param x5c the header's certificates, leaf first, each standard base64 DER; the root may be
   *     included as the last element or left out
   * @param roots the SAB's roots
   * @param clock the instant at which every certificate must be valid
   * @param field the field the chain came from (for example {@code spec.certificate header x5c}),
   *     named in every error message
   */
  public static ValidatedChain validate(
      List<String> x5c, TrustRoots roots, Clock clock, String field) throws VerificationException {
    try {
      if (x5c != null) {
        ValidatedChain cached = roots.cachedChain(x5c, clock.instant());
        if (cached != null) {
          return cached;
        }
      }
      ValidatedChain chain = validateChecked(x5c, roots, clock, field);
      roots.rememberChain(x5c, chain);
      return chain;
    } catch (VerificationException e) {
      throw e;
    } catch (RuntimeException e) {
      // fail closed: a surprise inside PKIX or a provider is never a success
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID, field + " cannot be validated: " + e, e);
    }
  }

  private static ValidatedChain validateChecked(
      List<String> x5c, TrustRoots roots, Clock clock, String field) throws VerificationException {
    if (x5c == null || x5c.isEmpty()) {
      throw invalid(field + " is missing; the signing certificate chain is required");
    }
    if (x5c.size() > MAX_CHAIN_LENGTH) {
      throw invalid(
          field
              + " has "
              + x5c.size()
              + " certificates, more than the limit of "
              + MAX_CHAIN_LENGTH);
    }
    List<X509Certificate> certs = new ArrayList<>(x5c.size());
    for (int i = 0; i < x5c.size(); i++) {
      certs.add(decode(x5c.get(i), field + "[" + i + "]"));
    }

    // the root may travel along; PKIX wants the path without its anchor
    List<X509Certificate> path = new ArrayList<>(certs);
    try {
      if (path.size() > 1 && roots.find(path.get(path.size() - 1)) != null) {
        path.remove(path.size() - 1);
      }
    } catch (CertificateException e) {
      throw invalid(field + " cannot be re-encoded: " + e.getMessage());
    }

    Date now = Date.from(clock.instant());
    for (int i = 0; i < path.size(); i++) {
      checkValidity(path.get(i), now, field + "[" + i + "]", true);
    }
    checkLeaf(path.get(0), field + "[0]");

    X509Certificate root = pkix(path, roots, now, field);
    checkValidity(root, now, field + " root (" + subject(root) + ")", false);
    return new ValidatedChain(path.get(0), path, root);
  }

  private static X509Certificate decode(String base64, String name) throws VerificationException {
    if (base64 == null || base64.isEmpty()) {
      throw invalid(name + " is empty");
    }
    if (base64.length() > MAX_CERTIFICATE_BASE64) {
      throw invalid(
          name
              + " is "
              + base64.length()
              + " base64 characters, more than a "
              + MAX_CERTIFICATE_BYTES
              + "-byte certificate");
    }
    byte[] der;
    try {
      // strict standard base64 (RFC 7515 §4.1.6 says base64, not base64url)
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID, name + " is not standard base64: " + e.getMessage(), e);
    }
    if (der.length > MAX_CERTIFICATE_BYTES) {
      throw invalid(name + " is " + der.length + " bytes, more than " + MAX_CERTIFICATE_BYTES);
    }
    X509Certificate cert;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      if (!Arrays.equals(cert.getEncoded(), der)) {
        throw invalid(name + " is not a single DER certificate (trailing or re-encoded bytes)");
      }
    } catch (CertificateException | ClassCastException e) {
      throw new VerificationException(
          ReasonCode.CERTIFICATE_INVALID,
          name + " is not a DER X.509 certificate: " + e.getMessage(),
          e);
    }
    return cert;
  }

  private static void checkValidity(X509Certificate cert, Date now, String name, boolean own)
      throws VerificationException {
    try {
      cert.checkValidity(now);
    } catch (CertificateExpiredException e) {
      throw new VerificationException(
          own ? ReasonCode.CERTIFICATE_EXPIRED : ReasonCode.UNTRUSTED_ISSUER,
          name + " expired at " + cert.getNotAfter().toInstant(),
          e);
    } catch (CertificateNotYetValidException e) {
      throw new VerificationException(
          own ? ReasonCode.CERTIFICATE_NOT_YET_VALID : ReasonCode.UNTRUSTED_ISSUER,
          name + " is not valid before " + cert.getNotBefore().toInstant(),
          e);
    }
  }

  private static void checkLeaf(X509Certificate leaf, String name) throws VerificationException {
    if (leaf.getBasicConstraints() >= 0) {
      throw invalid(
          name + " (" + subject(leaf) + ") is a CA certificate (basicConstraints cA=true)");
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage == null || keyUsage.length <= DIGITAL_SIGNATURE || !keyUsage[DIGITAL_SIGNATURE]) {
      throw invalid(name + " (" + subject(leaf) + ") lacks the digitalSignature key usage");
    }
  }

  private static X509Certificate pkix(
      List<X509Certificate> path, TrustRoots roots, Date now, String field)
      throws VerificationException {
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate root : roots.certificates()) {
      anchors.add(new TrustAnchor(root, null));
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(now);
      PKIXCertPathValidatorResult result =
          (PKIXCertPathValidatorResult)
              CertPathValidator.getInstance("PKIX").validate(certPath, params);
      return result.getTrustAnchor().getTrustedCert();
    } catch (CertPathValidatorException e) {
      String at = e.getIndex() >= 0 ? " at " + field + "[" + e.getIndex() + "]" : "";
      throw new VerificationException(
          ReasonCode.UNTRUSTED_ISSUER,
          field + " does not chain to a trusted root" + at + ": " + e.getMessage(),
          e);
    } catch (GeneralSecurityException e) {
      throw new VerificationException(
          ReasonCode.UNTRUSTED_ISSUER, field + " cannot be validated: " + e.getMessage(), e);
    }
  }

  private static String subject(X509Certificate cert) {
    return cert.getSubjectX500Principal().getName();
  }

  private static VerificationException invalid(String message) {
    return new VerificationException(ReasonCode.CERTIFICATE_INVALID, message);
  }
}
