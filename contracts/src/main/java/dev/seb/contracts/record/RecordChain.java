package dev.seb.contracts.record;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.jose.Jws;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The appender of one record chain: holds the broker's Ed25519 signing key and the chain head, and
 * signs each {@link RecordDraft} into the next {@link SignedRecord}. Pure and single-threaded: the
 * caller serialises appends (one chain per broker instance) and persists each record before the
 * next append.
 *
 * <p>JWS header: {@code alg: EdDSA}, {@code kid} (the RFC 7638 thumbprint unless the key names
 * one), {@code typ: seb-record+jws}.
 */
public final class RecordChain {

  /** The {@code typ} header of every record; the verifier refuses any other. */
  public static final JOSEObjectType TYPE = new JOSEObjectType("seb-record+jws");

  // DNS-1123 subdomain characters so that <chain>-<seq> is a valid resource name
  private static final Pattern CHAIN_ID = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,198}[a-z0-9])?");

  private final String chainId;
  private final OctetKeyPair signingKey;
  private ChainHead head;

  private RecordChain(String chainId, OctetKeyPair signingKey, ChainHead head) {
    this.chainId = checkChainId(chainId);
    this.signingKey = withKeyId(signingKey);
    this.head = Objects.requireNonNull(head, "head");
  }

  /** A new, empty chain: the first record gets {@code seq} 0 and {@code prev: null}. */
  public static RecordChain start(String chainId, OctetKeyPair signingKey) {
    return new RecordChain(chainId, signingKey, ChainHead.GENESIS);
  }

  /**
   * Continues a chain from a known head, e.g. read back from the last {@code ExecutionRecord} after
   * a restart. The caller vouches for the head; {@link #resumeAfter} checks it instead.
   */
  public static RecordChain resume(String chainId, OctetKeyPair signingKey, ChainHead head) {
    return new RecordChain(chainId, signingKey, head);
  }

  /**
   * Continues a chain after its last record, which must verify under this key and belong to this
   * chain; a restarted broker thus never extends a record it did not sign.
   *
   * @throws VerificationException ({@code RECORD_CHAIN_BROKEN}) if the last record does not verify
   */
  public static RecordChain resumeAfter(
      String chainId, OctetKeyPair signingKey, String lastCompactJws) throws VerificationException {
    RecordChain chain = new RecordChain(chainId, signingKey, ChainHead.GENESIS);
    PublicKey own = TrustedKeys.toPublicKey(chain.signingKey.toPublicJWK());
    RecordClaims last =
        RecordChainVerifier.verifyOne(
            lastCompactJws, Map.of(chain.keyId(), own), chainId, "last record to resume after");
    chain.head = new ChainHead(last.seq() + 1, CanonicalJson.sha256(lastCompactJws));
    return chain;
  }

  /**
   * Signs the draft as the next record, with {@code iat} from the clock, and advances the head. On
   * any failure the head does not move.
   *
   * @throws IllegalArgumentException if the signed record would exceed {@link Jws#MAX_LENGTH},
   *     which no verifier would accept (shorten the reason messages)
   */
  public SignedRecord append(RecordDraft draft, Clock clock) {
    Objects.requireNonNull(draft, "draft");
    Objects.requireNonNull(clock, "clock");
    RecordClaims claims =
        new RecordClaims(chainId, head.nextSeq(), head.lastDigest(), clock.instant(), draft);
    String jws =
        Jws.sign(
            Jws.headerFor(signingKey).keyID(signingKey.getKeyID()).type(TYPE),
            claims.toClaims(),
            signingKey);
    if (jws.length() > Jws.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "record seq "
              + claims.seq()
              + " would be "
              + jws.length()
              + " characters, over the limit");
    }
    SignedRecord record = new SignedRecord(claims, jws, CanonicalJson.sha256(jws));
    head = record.next();
    return record;
  }

  /** The current head: the next {@code seq} and the digest of the last record. */
  public ChainHead head() {
    return head;
  }

  /** The chain id every record carries in {@code chain}. */
  public String chainId() {
    return chainId;
  }

  /** The {@code kid} of every record's header. */
  public String keyId() {
    return signingKey.getKeyID();
  }

  /**
   * The public half of the signing key, with its {@code kid}, for {@code /.well-known/jwks.json}.
   */
  public OctetKeyPair publicKey() {
    return signingKey.toPublicJWK();
  }

  /** The RFC 7638 SHA-256 thumbprint of a key, base64url: the default {@code kid}. */
  public static String thumbprint(JWK key) {
    try {
      return key.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("key has no thumbprint: " + e.getMessage(), e);
    }
  }

  private static String checkChainId(String chainId) {
    if (chainId == null || !CHAIN_ID.matcher(chainId).matches()) {
      throw new IllegalArgumentException(
          "chain id must be lowercase DNS-1123 characters, at most 200, not '" + chainId + "'");
    }
    return chainId;
  }

  private static OctetKeyPair withKeyId(OctetKeyPair key) {
    Objects.requireNonNull(key, "signingKey");
    if (!Curve.Ed25519.equals(key.getCurve()) || !key.isPrivate()) {
      throw new IllegalArgumentException("the record signing key must be a private Ed25519 key");
    }
    if (key.getKeyID() != null && !key.getKeyID().isBlank()) {
      return key;
    }
    return new OctetKeyPair.Builder(key).keyID(thumbprint(key)).build();
  }
}
