package dev.seb.contracts.record;

import com.google.crypto.tink.subtle.Ed25519Sign;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Deterministic Ed25519 test keys (seed = SHA-256 of a name), so that fixtures can be regenerated
 * byte for byte: Ed25519 signatures are deterministic. Test-only keys; they protect nothing.
 */
final class TestKeys {

  /** The broker key that signs the golden chain. */
  static final OctetKeyPair BROKER = fromSeed("seb test broker key 1");

  /** A key nobody trusts. */
  static final OctetKeyPair FOREIGN = fromSeed("seb test foreign key");

  private TestKeys() {}

  static OctetKeyPair fromSeed(String name) {
    try {
      byte[] seed =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      Ed25519Sign.KeyPair pair = Ed25519Sign.KeyPair.newKeyPairFromSeed(seed);
      OctetKeyPair key =
          new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(pair.getPublicKey()))
              .d(Base64URL.encode(pair.getPrivateKey()))
              .build();
      return new OctetKeyPair.Builder(key).keyID(RecordChain.thumbprint(key)).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
