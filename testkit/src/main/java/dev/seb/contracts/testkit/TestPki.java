package dev.seb.contracts.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Small X.509 factory for tests: key pairs and certificates of any shape (CA or not, any {@code
 * pathLen}, any key usage, any validity), made with Bouncy Castle.
 */
public final class TestPki {

  /** The key algorithms seb accepts. */
  public enum KeyAlgorithm {
    /** Ed25519, signs as EdDSA. */
    ED25519,
    /** EC P-256, signs as ES256. */
    P256
  }

  /** Key usage bits for a CA. */
  public static final int CA_KEY_USAGE = KeyUsage.keyCertSign | KeyUsage.cRLSign;

  /** Key usage bits for a signing leaf. */
  public static final int LEAF_KEY_USAGE = KeyUsage.digitalSignature;

  private static final AtomicLong SERIALS = new AtomicLong(1000);

  private TestPki() {}

  /** A fresh key pair. */
  public static KeyPair keyPair(KeyAlgorithm algorithm) {
    try {
      if (algorithm == KeyAlgorithm.ED25519) {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a certificate for the given subject DN and public key. */
  public static CertificateBuilder certificate(String subjectDn, PublicKey subjectKey) {
    return new CertificateBuilder(subjectDn, subjectKey);
  }

  /** PEM text of certificates, in order. */
  public static String pem(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Standard base64 of the DER certificate, as {@code x5c} carries it. */
  public static String x5c(X509Certificate certificate) {
    try {
      return Base64.getEncoder().encodeToString(certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fluent X.509 certificate builder; self-signed unless an issuer is given. */
  public static final class CertificateBuilder {
    private final X500Principal subject;
    private final PublicKey subjectKey;
    private X500Principal issuer;
    private PrivateKey issuerKey;
    private PublicKey issuerPublicKey;
    private Instant notBefore = Instant.EPOCH;
    private Instant notAfter = Instant.parse("2100-01-01T00:00:00Z");
    private boolean ca;
    private Integer pathLen;
    private int keyUsage = LEAF_KEY_USAGE;
    private boolean withKeyUsage = true;

    private CertificateBuilder(String subjectDn, PublicKey subjectKey) {
      this.subject = new X500Principal(subjectDn);
      this.subjectKey = subjectKey;
    }

    /** Signed by this issuer certificate and key. */
    public CertificateBuilder issuedBy(X509Certificate issuerCert, PrivateKey key) {
      this.issuer = issuerCert.getSubjectX500Principal();
      this.issuerPublicKey = issuerCert.getPublicKey();
      this.issuerKey = key;
      return this;
    }

    /** Self-signed with this key pair (the subject key must be its public half). */
    public CertificateBuilder selfSigned(KeyPair pair) {
      this.issuer = subject;
      this.issuerPublicKey = pair.getPublic();
      this.issuerKey = pair.getPrivate();
      return this;
    }

    /** Validity period. */
    public CertificateBuilder validity(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    /** A CA, with a path length constraint if {@code pathLen} is not null. */
    public CertificateBuilder ca(Integer pathLen) {
      this.ca = true;
      this.pathLen = pathLen;
      this.keyUsage = CA_KEY_USAGE;
      return this;
    }

    /** An end entity (cA=false); the default. */
    public CertificateBuilder endEntity() {
      this.ca = false;
      this.pathLen = null;
      return this;
    }

    /** Key usage bits ({@link KeyUsage} constants). */
    public CertificateBuilder keyUsage(int bits) {
      this.keyUsage = bits;
      this.withKeyUsage = true;
      return this;
    }

    /** No key usage extension at all. */
    public CertificateBuilder noKeyUsage() {
      this.withKeyUsage = false;
      return this;
    }

    /** Builds and signs the certificate. */
    public X509Certificate build() {
      if (issuerKey == null) {
        throw new IllegalStateException("call issuedBy(...) or selfSigned(...) first");
      }
      try {
        X509v3CertificateBuilder builder =
            new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(notBefore),
                Date.from(notAfter),
                subject,
                subjectKey);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(
            Extension.basicConstraints,
            true,
            ca
                ? (pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen))
                : new BasicConstraints(false));
        if (withKeyUsage) {
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        builder.addExtension(
            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
        builder.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            ext.createAuthorityKeyIdentifier(issuerPublicKey));
        String algorithm =
            "Ed25519".equals(issuerKey.getAlgorithm()) || "EdDSA".equals(issuerKey.getAlgorithm())
                ? "Ed25519"
                : "SHA256withECDSA";
        return new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
      } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
        throw new IllegalStateException("cannot build test certificate: " + e.getMessage(), e);
      }
    }
  }
}
