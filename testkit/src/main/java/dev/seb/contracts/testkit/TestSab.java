package dev.seb.contracts.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.jose.JoseKeys;
import dev.seb.contracts.jose.Jws;
import dev.seb.contracts.pki.TrustRoots;
import dev.seb.contracts.testkit.TestPki.KeyAlgorithm;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for a Sovereign Assurance Boundary, for tests and the demo: a root CA, an issuing CA
 * and a leaf signing key (Ed25519 by default, ES256 on request), made with Bouncy Castle, that sign
 * contract certificates and epoch statements. Every knob that a real SAB would never turn (expired
 * leaves, CA leaves, {@code pathLen} violations, ...) is there to make bad variants on demand;
 * {@link Forge} rewrites finished JWS strings.
 *
 * <pre>{@code
 * TestSab sab = TestSab.create("sab.example", clock);
 * String cert = sab.certificate(spec, "prod", "scale-web").policyEpoch(3).sign();
 * String statement = sab.epochStatement().minPolicyEpoch(3).revoke("cert-7").sign();
 * }</pre>
 *
 * <p>Not a real SAB: keys live in memory and times come from the given {@link Clock}.
 */
public final class TestSab {

  /** The SAB id {@link #create(Clock)} uses. */
  public static final String DEFAULT_SAB_ID = "sab.test.seb.dev";

  private static final AtomicLong NAMES = new AtomicLong();

  private final String sabId;
  private final Clock clock;
  private final KeyAlgorithm algorithm;
  private final KeyPair rootKeys;
  private final X509Certificate root;
  private final KeyPair leafKeys;
  private final X509Certificate leaf;
  private final List<X509Certificate> chain;
  private final boolean rootInX5c;
  private final AtomicLong serials = new AtomicLong();

  private TestSab(Builder b) {
    this.sabId = b.sabId;
    this.clock = b.clock;
    this.algorithm = b.algorithm;
    Instant now = clock.instant();
    String tag = b.sabId + " #" + NAMES.incrementAndGet();

    this.rootKeys = TestPki.keyPair(algorithm);
    this.root =
        TestPki.certificate("CN=root " + tag + ",O=seb test SAB", rootKeys.getPublic())
            .selfSigned(rootKeys)
            .ca(null)
            .validity(
                b.rootNotBefore != null ? b.rootNotBefore : now.minus(Duration.ofDays(365)),
                b.rootNotAfter != null ? b.rootNotAfter : now.plus(Duration.ofDays(3650)))
            .build();

    KeyPair intermediateKeys = TestPki.keyPair(algorithm);
    TestPki.CertificateBuilder ib =
        TestPki.certificate("CN=issuing " + tag + ",O=seb test SAB", intermediateKeys.getPublic())
            .issuedBy(root, rootKeys.getPrivate())
            .validity(
                b.intermediateNotBefore != null
                    ? b.intermediateNotBefore
                    : now.minus(Duration.ofDays(30)),
                b.intermediateNotAfter != null
                    ? b.intermediateNotAfter
                    : now.plus(Duration.ofDays(365)));
    if (b.intermediateIsCa) {
      ib.ca(b.intermediatePathLen);
    } else {
      ib.endEntity().keyUsage(TestPki.CA_KEY_USAGE);
    }
    if (b.intermediateKeyUsage != null) {
      ib.keyUsage(b.intermediateKeyUsage);
    }
    X509Certificate intermediate = ib.build();

    List<X509Certificate> cas = new ArrayList<>();
    cas.add(intermediate);
    X509Certificate issuer = intermediate;
    KeyPair issuerKeys = intermediateKeys;
    if (b.subordinateCa) {
      KeyPair subKeys = TestPki.keyPair(algorithm);
      X509Certificate sub =
          TestPki.certificate("CN=subordinate " + tag + ",O=seb test SAB", subKeys.getPublic())
              .issuedBy(intermediate, intermediateKeys.getPrivate())
              .validity(now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(365)))
              .ca(null)
              .build();
      cas.add(0, sub);
      issuer = sub;
      issuerKeys = subKeys;
    }

    this.leafKeys = TestPki.keyPair(algorithm);
    TestPki.CertificateBuilder lb =
        TestPki.certificate("CN=signer " + tag + ",O=seb test SAB", leafKeys.getPublic())
            .issuedBy(issuer, issuerKeys.getPrivate())
            .validity(
                b.leafNotBefore != null ? b.leafNotBefore : now.minus(Duration.ofDays(1)),
                b.leafNotAfter != null ? b.leafNotAfter : now.plus(Duration.ofDays(90)));
    if (b.leafIsCa) {
      lb.ca(null).keyUsage(TestPki.CA_KEY_USAGE | TestPki.LEAF_KEY_USAGE);
    }
    if (b.leafKeyUsage != null) {
      lb.keyUsage(b.leafKeyUsage);
    }
    this.leaf = lb.build();

    List<X509Certificate> all = new ArrayList<>();
    all.add(leaf);
    all.addAll(cas);
    this.chain = List.copyOf(all);
    this.rootInX5c = b.rootInX5c;
  }

  /** An Ed25519 SAB with the default id and shape. */
  public static TestSab create(Clock clock) {
    return builder().clock(clock).build();
  }

  /** An Ed25519 SAB with the given id and the default shape. */
  public static TestSab create(String sabId, Clock clock) {
    return builder().sabId(sabId).clock(clock).build();
  }

  /** A builder for unusual SABs (ES256, odd chains, expired certificates, ...). */
  public static Builder builder() {
    return new Builder();
  }

  /** The SAB's id, the {@code iss} of everything it signs. */
  public String sabId() {
    return sabId;
  }

  /** The clock this SAB takes "now" from. */
  public Clock clock() {
    return clock;
  }

  /** PEM bundle of this SAB's root, for {@code TrustAnchor.spec.rootCertificates}. */
  public String rootsPem() {
    return TestPki.pem(List.of(root));
  }

  /** This SAB's roots, parsed. */
  public TrustRoots roots() {
    try {
      return TrustRoots.fromPem(rootsPem(), "spec.rootCertificates");
    } catch (VerificationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A TrustAnchor spec for this SAB carrying the given epoch statement (may be null). */
  public TrustAnchorSpec trustAnchorSpec(String epochStatement) {
    return new TrustAnchorSpec(sabId, rootsPem(), epochStatement);
  }

  /** The root CA certificate. */
  public X509Certificate rootCertificate() {
    return root;
  }

  /** The root CA key pair (to issue odd certificates under this SAB's root). */
  public KeyPair rootKeys() {
    return rootKeys;
  }

  /** The leaf signing certificate. */
  public X509Certificate leafCertificate() {
    return leaf;
  }

  /** The leaf signing key as a private JWK. */
  public JWK leafJwk() {
    return JoseKeys.privateJwk(leafKeys);
  }

  /** Leaf first, then the CAs below the root. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The {@code x5c} header value this SAB sends (the root only if asked for). */
  public List<String> x5c() {
    List<String> out = new ArrayList<>();
    for (X509Certificate c : chain) {
      out.add(TestPki.x5c(c));
    }
    if (rootInX5c) {
      out.add(TestPki.x5c(root));
    }
    return out;
  }

  /** Starts a contract certificate over the given spec, for the contract {@code ns/name}. */
  public CertificateBuilder certificate(JsonNode spec, String namespace, String name) {
    return new CertificateBuilder(spec, namespace, name);
  }

  /** Starts an epoch statement. */
  public EpochStatementBuilder epochStatement() {
    return new EpochStatementBuilder();
  }

  /** The next serial this SAB would hand out. */
  String nextSerial() {
    return "cert-" + serials.incrementAndGet();
  }

  /** Options for an unusual SAB. */
  public static final class Builder {
    private String sabId = DEFAULT_SAB_ID;
    private Clock clock = Clock.systemUTC();
    private KeyAlgorithm algorithm = KeyAlgorithm.ED25519;
    private Instant rootNotBefore;
    private Instant rootNotAfter;
    private Instant intermediateNotBefore;
    private Instant intermediateNotAfter;
    private boolean intermediateIsCa = true;
    private Integer intermediatePathLen;
    private Integer intermediateKeyUsage;
    private boolean subordinateCa;
    private Instant leafNotBefore;
    private Instant leafNotAfter;
    private boolean leafIsCa;
    private Integer leafKeyUsage;
    private boolean rootInX5c;

    private Builder() {}

    /** The SAB id. */
    public Builder sabId(String sabId) {
      this.sabId = Objects.requireNonNull(sabId);
      return this;
    }

    /** Where "now" comes from. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** EC P-256 keys throughout, so everything is signed ES256. */
    public Builder es256() {
      this.algorithm = KeyAlgorithm.P256;
      return this;
    }

    /** Root validity period. */
    public Builder rootValidity(Instant from, Instant to) {
      this.rootNotBefore = from;
      this.rootNotAfter = to;
      return this;
    }

    /** Issuing CA validity period. */
    public Builder intermediateValidity(Instant from, Instant to) {
      this.intermediateNotBefore = from;
      this.intermediateNotAfter = to;
      return this;
    }

    /** Makes the issuing "CA" an end entity (cA=false) that still issues the leaf. */
    public Builder intermediateNotCa() {
      this.intermediateIsCa = false;
      return this;
    }

    /** Issuing CA {@code pathLen} constraint. */
    public Builder intermediatePathLen(int pathLen) {
      this.intermediatePathLen = pathLen;
      return this;
    }

    /** Issuing CA key usage bits. */
    public Builder intermediateKeyUsage(int bits) {
      this.intermediateKeyUsage = bits;
      return this;
    }

    /** Inserts another CA between the issuing CA and the leaf. */
    public Builder subordinateCa() {
      this.subordinateCa = true;
      return this;
    }

    /** Leaf validity period. */
    public Builder leafValidity(Instant from, Instant to) {
      this.leafNotBefore = from;
      this.leafNotAfter = to;
      return this;
    }

    /** Makes the signing leaf a CA. */
    public Builder leafIsCa() {
      this.leafIsCa = true;
      return this;
    }

    /** Leaf key usage bits (for example without digitalSignature). */
    public Builder leafKeyUsage(int bits) {
      this.leafKeyUsage = bits;
      return this;
    }

    /** Sends the root as the last {@code x5c} element too. */
    public Builder rootInX5c() {
      this.rootInX5c = true;
      return this;
    }

    /** Generates the keys and certificates. */
    public TestSab build() {
      return new TestSab(this);
    }
  }

  /** Shared part of the two JWS builders: extra or removed claims, chain and key overrides. */
  public abstract class JwsBuilder<B extends JwsBuilder<B>> {
    final Map<String, Object> claims = new LinkedHashMap<>();
    private List<String> x5c = TestSab.this.x5c();
    private JWK signingKey = TestSab.this.leafJwk();

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** Sets (or overrides) a claim; a {@code null} value removes it. */
    public B claim(String name, Object value) {
      if (value == null) {
        claims.remove(name);
      } else {
        claims.put(name, value instanceof Instant i ? i.getEpochSecond() : value);
      }
      return self();
    }

    /** Removes claims. */
    public B without(String... names) {
      Arrays.asList(names).forEach(claims::remove);
      return self();
    }

    /** The {@code iss} claim. */
    public B issuer(String issuer) {
      return claim("iss", issuer);
    }

    /** Replaces the {@code x5c} header ({@code null} leaves it out). */
    public B x5c(List<String> chain) {
      this.x5c = chain;
      return self();
    }

    /** Signs with another key, keeping this SAB's {@code x5c}: a forgery. */
    public B signingKey(JWK key) {
      this.signingKey = key;
      return self();
    }

    /** The claims as they would be signed. */
    public Map<String, Object> claims() {
      return new LinkedHashMap<>(claims);
    }

    /** Signs: EdDSA or ES256 by the key type, {@code x5c} in the header. */
    public String sign() {
      JWSHeader.Builder header = Jws.headerFor(signingKey);
      if (x5c != null) {
        header.x509CertChain(x5c.stream().map(Base64::new).toList());
      }
      return Jws.sign(header, claims(), signingKey);
    }
  }

  /**
   * A contract certificate. Defaults: a fresh serial, {@code nbf} one minute before now, {@code
   * exp} one hour after, both epochs 1, no {@code aud}.
   */
  public final class CertificateBuilder extends JwsBuilder<CertificateBuilder> {
    private final JsonNode spec;

    private CertificateBuilder(JsonNode spec, String namespace, String name) {
      this.spec = spec;
      Instant now = clock.instant();
      claim("iss", sabId);
      claim("jti", nextSerial());
      claim("sub", Digests.contract(spec));
      claim("contract", namespace + "/" + name);
      claim("nbf", now.minus(Duration.ofMinutes(1)));
      claim("exp", now.plus(Duration.ofHours(1)));
      claim("policyEpoch", 1L);
      claim("revocationEpoch", 1L);
    }

    /** The certificate serial ({@code jti}). */
    public CertificateBuilder serial(String serial) {
      return claim("jti", serial);
    }

    /** The claimed contract digest ({@code sub}). */
    public CertificateBuilder digest(String digest) {
      return claim("sub", digest);
    }

    /** The claimed contract, {@code namespace/name}. */
    public CertificateBuilder contract(String namespaceSlashName) {
      return claim("contract", namespaceSlashName);
    }

    /** {@code nbf}. */
    public CertificateBuilder notBefore(Instant notBefore) {
      return claim("nbf", notBefore);
    }

    /** {@code exp}. */
    public CertificateBuilder notAfter(Instant notAfter) {
      return claim("exp", notAfter);
    }

    /** {@code policyEpoch}. */
    public CertificateBuilder policyEpoch(long epoch) {
      return claim("policyEpoch", epoch);
    }

    /** {@code revocationEpoch}. */
    public CertificateBuilder revocationEpoch(long epoch) {
      return claim("revocationEpoch", epoch);
    }

    /** {@code aud}, as an array of broker ids. */
    public CertificateBuilder audience(String... brokerIds) {
      return claim("aud", List.of(brokerIds));
    }

    /** Signs and returns a copy of the spec with the certificate in {@code spec.certificate}. */
    public ObjectNode attach() {
      ObjectNode copy = ((ObjectNode) spec).deepCopy();
      copy.put(Digests.CERTIFICATE_FIELD, sign());
      return copy;
    }
  }

  /**
   * An epoch statement. Defaults: {@code iat} one minute before now, {@code exp} one hour after
   * now, both epochs 1, nothing revoked.
   */
  public final class EpochStatementBuilder extends JwsBuilder<EpochStatementBuilder> {
    private final List<String> revoked = new ArrayList<>();

    private EpochStatementBuilder() {
      Instant now = clock.instant();
      claim("iss", sabId);
      claim("iat", now.minus(Duration.ofMinutes(1)));
      claim("exp", now.plus(Duration.ofHours(1)));
      claim("minPolicyEpoch", 1L);
      claim("revocationEpoch", 1L);
      claim("revokedSerials", revoked);
    }

    /** {@code iat}. */
    public EpochStatementBuilder issuedAt(Instant issuedAt) {
      return claim("iat", issuedAt);
    }

    /** {@code exp}. */
    public EpochStatementBuilder expiresAt(Instant expiresAt) {
      return claim("exp", expiresAt);
    }

    /** {@code minPolicyEpoch}. */
    public EpochStatementBuilder minPolicyEpoch(long epoch) {
      return claim("minPolicyEpoch", epoch);
    }

    /** {@code revocationEpoch}. */
    public EpochStatementBuilder revocationEpoch(long epoch) {
      return claim("revocationEpoch", epoch);
    }

    /** Adds serials to {@code revokedSerials}. */
    public EpochStatementBuilder revoke(String... serials) {
      revoked.addAll(List.of(serials));
      return claim("revokedSerials", List.copyOf(revoked));
    }
  }
}
