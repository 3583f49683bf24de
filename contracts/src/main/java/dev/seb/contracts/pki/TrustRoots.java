package dev.seb.contracts.pki;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The root CA certificates of one SAB, parsed from the PEM bundle in {@code
 * TrustAnchor.spec.rootCertificates}. Immutable.
 *
 * <p>Every problem with the bundle is reported as {@link ReasonCode#UNTRUSTED_ISSUER}: a bundle
 * that cannot be read anchors no trust, so nothing it should vouch for can be trusted. {@link
 * ReasonCode#CERTIFICATE_INVALID} is kept for faults of the presented certificate itself.
 */
public final class TrustRoots {

  /** Upper bound on the PEM bundle (a handful of roots is a few KiB). */
  public static final int MAX_PEM_LENGTH = 256 * 1024;

  /** Upper bound on the number of roots in one bundle. */
  public static final int MAX_ROOTS = 16;

  /** Key usage bit 5 (RFC 5280 §4.2.1.3). */
  static final int KEY_CERT_SIGN = 5;

  private final List<X509Certificate> roots;

  /**
   * Chains already validated against these roots, by their exact {@code x5c} text. PKIX validation
   * is a pure function of the chain bytes, the roots and the instant; the instant is re-checked on
   * every hit against the chain's common validity window, so a cached chain is never accepted
   * outside it. Bounded: cleared when full.
   */
  private final Map<List<String>, ValidatedChain> validated = new ConcurrentHashMap<>();

  private static final int MAX_CACHED_CHAINS = 256;

  private TrustRoots(List<X509Certificate> roots) {
    this.roots = List.copyOf(roots);
  }

  /**
   * Parses a PEM bundle of root CA certificates.
   *
   * @param pem the bundle, one or more {@code CERTIFICATE} blocks
   * @param field the resource field it came from (for example {@code spec.rootCertificates}), named
   *     in every error message
   * @throws VerificationException ({@link ReasonCode#UNTRUSTED_ISSUER}) if the bundle is empty,
   *     oversized, not PEM, holds anything but certificates, or holds a certificate that is not a
   *     CA
   */
  public static TrustRoots fromPem(String pem, String field) throws VerificationException {
    if (pem == null || pem.isBlank()) {
      throw untrusted(field + " is empty; it must hold at least one PEM root CA certificate");
    }
    if (pem.length() > MAX_PEM_LENGTH) {
      throw untrusted(
          field + " is " + pem.length() + " characters, more than the limit of " + MAX_PEM_LENGTH);
    }
    List<X509Certificate> roots = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      PemObject block;
      while ((block = readBlock(reader, field, roots.size())) != null) {
        int index = roots.size();
        if (!"CERTIFICATE".equals(block.getType())) {
          // never echo the content: a private key pasted by mistake must not reach a status
          throw untrusted(
              field + " block " + index + " is a '" + block.getType() + "', not a CERTIFICATE");
        }
        if (roots.size() == MAX_ROOTS) {
          throw untrusted(field + " holds more than " + MAX_ROOTS + " certificates");
        }
        X509Certificate root = parseDer(block.getContent(), field, index);
        requireCa(root, field, index);
        roots.add(root);
      }
    } catch (IOException e) {
      throw new VerificationException(
          ReasonCode.UNTRUSTED_ISSUER, field + " cannot be read as PEM: " + e.getMessage(), e);
    }
    if (roots.isEmpty()) {
      throw untrusted(field + " holds no PEM 'CERTIFICATE' block");
    }
    return new TrustRoots(roots);
  }

  /** The root certificates, in bundle order. */
  /** A chain validated earlier for exactly this x5c, if the instant is inside its validity. */
  ValidatedChain cachedChain(List<String> x5c, Instant now) {
    ValidatedChain chain = validated.get(x5c);
    return chain != null && chain.validAt(now) ? chain : null;
  }

  /** Remembers a chain that passed full validation. */
  void rememberChain(List<String> x5c, ValidatedChain chain) {
    if (validated.size() >= MAX_CACHED_CHAINS) {
      validated.clear();
    }
    validated.put(List.copyOf(x5c), chain);
  }

  public List<X509Certificate> certificates() {
    return roots;
  }

  /** The root whose DER encoding equals the given certificate's, if any. */
  X509Certificate find(X509Certificate certificate) throws CertificateException {
    byte[] encoded = certificate.getEncoded();
    for (X509Certificate root : roots) {
      if (Arrays.equals(root.getEncoded(), encoded)) {
        return root;
      }
    }
    return null;
  }

  private static PemObject readBlock(PemReader reader, String field, int index)
      throws VerificationException {
    try {
      return reader.readPemObject();
    } catch (IOException | RuntimeException e) {
      // bad base64 inside a block, or a BEGIN without END
      throw new VerificationException(
          ReasonCode.UNTRUSTED_ISSUER,
          field + " block " + index + " is not valid PEM: " + e.getMessage(),
          e);
    }
  }

  private static X509Certificate parseDer(byte[] der, String field, int index)
      throws VerificationException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new VerificationException(
          ReasonCode.UNTRUSTED_ISSUER,
          field + " block " + index + " is not a DER X.509 certificate: " + e.getMessage(),
          e);
    }
  }

  private static void requireCa(X509Certificate root, String field, int index)
      throws VerificationException {
    String subject = root.getSubjectX500Principal().getName();
    if (root.getBasicConstraints() < 0) {
      throw untrusted(
          field
              + " block "
              + index
              + " ("
              + subject
              + ") is not a CA: basicConstraints cA is false");
    }
    boolean[] keyUsage = root.getKeyUsage();
    if (keyUsage != null && (keyUsage.length <= KEY_CERT_SIGN || !keyUsage[KEY_CERT_SIGN])) {
      throw untrusted(
          field + " block " + index + " (" + subject + ") is not a CA: keyUsage lacks keyCertSign");
    }
  }

  private static VerificationException untrusted(String message) {
    return new VerificationException(ReasonCode.UNTRUSTED_ISSUER, message);
  }
}
