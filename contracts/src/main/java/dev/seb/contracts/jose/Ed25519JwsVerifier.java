package dev.seb.contracts.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * EdDSA (Ed25519) JWS verification through Bouncy Castle's Ed25519, plugged into Nimbus. Nimbus'
 * own Ed25519 verifier uses Tink's, which measured about three times slower here (a contract
 * certificate is verified on every decision). Critical headers are refused before this is reached
 * ({@link Jws#parse}).
 */
final class Ed25519JwsVerifier implements JWSVerifier {

  private static final int SIGNATURE_LENGTH = 64;

  private final Ed25519PublicKeyParameters key;
  private final JCAContext jcaContext = new JCAContext();

  Ed25519JwsVerifier(OctetKeyPair publicKey) throws JOSEException {
    if (!Curve.Ed25519.equals(publicKey.getCurve())) {
      throw new JOSEException("not an Ed25519 key: " + publicKey.getCurve());
    }
    this.key = new Ed25519PublicKeyParameters(publicKey.getDecodedX(), 0);
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature)
      throws JOSEException {
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
      throw new JOSEException("Ed25519 keys verify only EdDSA, not " + header.getAlgorithm());
    }
    byte[] signatureBytes = signature.decode();
    if (signatureBytes.length != SIGNATURE_LENGTH) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, key);
    verifier.update(signingInput, 0, signingInput.length);
    return verifier.verifySignature(signatureBytes);
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.EdDSA);
  }

  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }
}
