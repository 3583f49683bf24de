package dev.seb.contracts.record;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Turns a published JWK set into the {@code kid -> PublicKey} map the verifier works with. */
final class TrustedKeys {

  private TrustedKeys() {}

  static Map<String, PublicKey> of(JWKSet set) throws VerificationException {
    if (set == null) {
      throw new VerificationException(ReasonCode.RECORD_CHAIN_BROKEN, "no trusted keys given");
    }
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (JWK jwk : set.getKeys()) {
      String kid = jwk.getKeyID();
      if (kid == null || kid.isBlank()) {
        throw new VerificationException(
            ReasonCode.RECORD_CHAIN_BROKEN, "trusted key without a kid cannot be matched");
      }
      if (keys.containsKey(kid)) {
        throw new VerificationException(
            ReasonCode.RECORD_CHAIN_BROKEN, "trusted kid '" + kid + "' appears twice");
      }
      try {
        keys.put(kid, toPublicKey(jwk.toPublicJWK()));
      } catch (IllegalArgumentException e) {
        throw new VerificationException(
            ReasonCode.RECORD_CHAIN_BROKEN, "trusted key '" + kid + "': " + e.getMessage(), e);
      }
    }
    return keys;
  }

  /** The Java public key of an Ed25519 or P-256 JWK (Nimbus cannot export OKP keys itself). */
  static PublicKey toPublicKey(JWK jwk) {
    try {
      if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        byte[] spki =
            new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), okp.getDecodedX())
                .getEncoded();
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      }
      if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
        return ec.toECPublicKey();
      }
    } catch (IOException | GeneralSecurityException | JOSEException e) {
      throw new IllegalArgumentException("unreadable key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("only Ed25519 and P-256 keys are accepted");
  }
}
