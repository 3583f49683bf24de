package dev.seb.contracts.jose;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Converts Java keys (as X.509 certificates and key stores carry them) to the JWK form Nimbus signs
 * and verifies with. Only Ed25519 and EC P-256 are supported: the two algorithms seb accepts.
 */
public final class JoseKeys {

  private JoseKeys() {}

  /** A public JWK for an Ed25519 or P-256 public key. */
  public static JWK publicJwk(PublicKey key) {
    if (key instanceof EdECPublicKey ed) {
      if (!"Ed25519".equals(ed.getParams().getName())) {
        throw new IllegalArgumentException(
            "only Ed25519 EdDSA keys are supported, not " + ed.getParams().getName());
      }
      byte[] raw = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).build();
    }
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (!Curve.P_256.equals(curve)) {
        throw new IllegalArgumentException("only P-256 EC keys are supported, not " + curve);
      }
      return new ECKey.Builder(Curve.P_256, ec).build();
    }
    throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
  }

  /** A private JWK (with its public half) for an Ed25519 or P-256 key pair. */
  public static JWK privateJwk(KeyPair pair) {
    JWK publicJwk = publicJwk(pair.getPublic());
    if (publicJwk instanceof OctetKeyPair okp) {
      try {
        byte[] seed =
            ASN1OctetString.getInstance(
                    PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded()).parsePrivateKey())
                .getOctets();
        return new OctetKeyPair.Builder(okp).d(Base64URL.encode(seed)).build();
      } catch (IOException e) {
        throw new IllegalArgumentException("unreadable Ed25519 private key", e);
      }
    }
    return new ECKey.Builder((ECKey) publicJwk)
        .privateKey((ECPrivateKey) pair.getPrivate())
        .build();
  }
}
