package dev.seb.local.authority;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Ed25519 keys and X.509 certificates for {@link LocalSab}, made with Bouncy Castle. */
final class LocalCa {

  private LocalCa() {}

  static KeyPair keyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no Ed25519 in this JVM", e);
    }
  }

  /**
   * A certificate for {@code subjectKey}: a CA (key usage keyCertSign, cRLSign) or a signing leaf
   * (digitalSignature), issued by {@code issuer} with {@code issuerKey}, or self-signed when {@code
   * issuer} is null.
   */
  static X509Certificate issue(
      String subjectDn,
      PublicKey subjectKey,
      X509Certificate issuer,
      PrivateKey issuerKey,
      boolean ca,
      Instant notBefore,
      Instant notAfter) {
    X500Principal subject = new X500Principal(subjectDn);
    PublicKey issuerPublicKey = issuer == null ? subjectKey : issuer.getPublicKey();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      var builder =
          new JcaX509v3CertificateBuilder(
                  issuer == null ? subject : issuer.getSubjectX500Principal(),
                  new BigInteger(64, new SecureRandom()),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  subject,
                  subjectKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(
                      ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(issuerPublicKey));
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("Ed25519").build(issuerKey)));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the local SAB's certificate " + subjectDn, e);
    }
  }

  static String pem(X509Certificate certificate) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(certificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
