package dev.seb.local.authority;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.jose.JoseKeys;
import dev.seb.contracts.jose.Jws;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local stack's development assurance authority: an in-memory Ed25519 root CA, an issuing CA
 * and a signing key that certify the guided scenario's contract and sign its epoch statement.
 *
 * <p>For the local stack only. Its keys are generated at start and never leave the process, it
 * makes well-formed, currently valid statements and nothing else (no knobs for bad variants: those
 * live in the test kit, which nothing shipped depends on), and it is not a real SAB: whoever runs
 * it certifies whatever they like. A cluster trusts it only if someone applies its TrustAnchor.
 */
public final class LocalSab {

  private static final Duration STATEMENT_VALIDITY = Duration.ofHours(1);

  private final String sabId;
  private final Clock clock;
  private final X509Certificate root;
  private final KeyPair signingKeys;
  private final List<X509Certificate> chain;
  private final AtomicLong serials = new AtomicLong();

  private LocalSab(String sabId, Clock clock) {
    this.sabId = sabId;
    this.clock = clock;
    Instant now = clock.instant();
    String dn = ",O=seb local development SAB " + sabId;
    KeyPair rootKeys = LocalCa.keyPair();
    this.root =
        LocalCa.issue(
            "CN=root" + dn,
            rootKeys.getPublic(),
            null,
            rootKeys.getPrivate(),
            true,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(30)));
    KeyPair issuingKeys = LocalCa.keyPair();
    X509Certificate issuing =
        LocalCa.issue(
            "CN=issuing" + dn,
            issuingKeys.getPublic(),
            root,
            rootKeys.getPrivate(),
            true,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(30)));
    this.signingKeys = LocalCa.keyPair();
    X509Certificate signer =
        LocalCa.issue(
            "CN=signer" + dn,
            signingKeys.getPublic(),
            issuing,
            issuingKeys.getPrivate(),
            false,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(30)));
    this.chain = List.of(signer, issuing);
  }

  /** A fresh authority with the given id, taking "now" from {@code clock}. */
  public static LocalSab create(String sabId, Clock clock) {
    return new LocalSab(sabId, clock);
  }

  /** The authority's id, the {@code iss} of everything it signs. */
  public String sabId() {
    return sabId;
  }

  /** PEM of the root, for {@code TrustAnchor.spec.rootCertificates}. */
  public String rootsPem() {
    return LocalCa.pem(root);
  }

  /**
   * A contract certificate for the contract {@code namespace/name} with this spec: a fresh serial,
   * valid from a minute ago for an hour, policy and revocation epoch 1.
   */
  public String certify(JsonNode spec, String namespace, String name) {
    Instant now = clock.instant();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", sabId);
    claims.put("jti", "cert-" + serials.incrementAndGet());
    claims.put("sub", Digests.contract(spec));
    claims.put("contract", namespace + "/" + name);
    claims.put("nbf", now.minus(Duration.ofMinutes(1)).getEpochSecond());
    claims.put("exp", now.plus(STATEMENT_VALIDITY).getEpochSecond());
    claims.put("policyEpoch", 1L);
    claims.put("revocationEpoch", 1L);
    return sign(claims);
  }

  /** The current epoch statement: epochs 1, nothing revoked, valid for an hour. */
  public String epochStatement() {
    Instant now = clock.instant();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", sabId);
    claims.put("iat", now.minus(Duration.ofMinutes(1)).getEpochSecond());
    claims.put("exp", now.plus(STATEMENT_VALIDITY).getEpochSecond());
    claims.put("minPolicyEpoch", 1L);
    claims.put("revocationEpoch", 1L);
    claims.put("revokedSerials", List.of());
    return sign(claims);
  }

  private String sign(Map<String, Object> claims) {
    JWK key = JoseKeys.privateJwk(signingKeys);
    JWSHeader.Builder header = Jws.headerFor(key);
    try {
      List<Base64> x5c = new ArrayList<>();
      for (X509Certificate certificate : chain) {
        x5c.add(Base64.encode(certificate.getEncoded()));
      }
      header.x509CertChain(x5c);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode the local SAB's chain", e);
    }
    return Jws.sign(header, claims, key);
  }
}
