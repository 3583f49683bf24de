package dev.seb.contracts.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nimbusds.jose.jwk.JWK;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.jose.JoseKeys;
import dev.seb.contracts.testkit.Forge;
import dev.seb.contracts.testkit.TestPki;
import dev.seb.contracts.testkit.TestSab;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ContractCertificateVerifierTest {

  private static final String FIELD = "spec.certificate";
  private static final String NS = "shop";
  private static final String NAME = "scale-web";
  private static final String BROKER = "broker.shop.example";
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static TestSab sab;
  private static ContractCertificateVerifier verifier;
  private static JsonNode spec;

  @BeforeAll
  static void sab() throws IOException {
    sab = TestSab.create(CLOCK);
    verifier = ContractCertificateVerifier.forBroker(sab.sabId(), sab.roots(), BROKER);
    spec = yaml("contract-spec.yaml");
  }

  // ---- golden ----

  @Test
  void certificateFromTheSab_verifies_andSaysWhatItCertifies() throws Exception {
    String jws =
        sab.certificate(spec, NS, NAME)
            .serial("cert-42")
            .policyEpoch(3)
            .revocationEpoch(7)
            .notBefore(NOW.minusSeconds(60))
            .notAfter(NOW.plusSeconds(3600))
            .sign();

    VerifiedCertificate cert = verify(attach(spec, jws));

    assertThat(cert.serial()).isEqualTo("cert-42");
    assertThat(cert.issuer()).isEqualTo(sab.sabId());
    assertThat(cert.contract()).isEqualTo("shop/scale-web");
    assertThat(cert.contractDigest()).isEqualTo(Digests.contract(spec)).startsWith("sha256:");
    assertThat(cert.notBefore()).isEqualTo(NOW.minusSeconds(60));
    assertThat(cert.notAfter()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(cert.policyEpoch()).isEqualTo(3);
    assertThat(cert.revocationEpoch()).isEqualTo(7);
    assertThat(cert.audience()).isEmpty();
    assertThat(cert.leaf()).isEqualTo(sab.leafCertificate());
    assertThat(cert.summary().notAfter()).isEqualTo("2030-01-01T01:00:00Z");
    assertThat(cert.summary().serial()).isEqualTo("cert-42");
  }

  @Test
  void es256CertificateFromTheSab_verifies() throws Exception {
    TestSab ec = TestSab.builder().clock(CLOCK).es256().build();
    ContractCertificateVerifier v =
        ContractCertificateVerifier.forBroker(ec.trustAnchorSpec(null), BROKER);

    VerifiedCertificate cert =
        v.verify(attach(spec, ec.certificate(spec, NS, NAME).sign()), NS, NAME, CLOCK);

    assertThat(cert.leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void certificateMadeOverAuthorsYaml_verifiesOverTheStoredJson() throws Exception {
    // the API server stores the spec with other key order and whitespace; JCS makes them equal
    JsonNode stored = CanonicalJson.mapper().readTree(resource("contract-spec-stored.json"));
    String jws = sab.certificate(spec, NS, NAME).sign();

    assertThat(verify(attach(stored, jws)).contractDigest()).isEqualTo(Digests.contract(stored));
  }

  @Test
  void audienceNamingThisBroker_verifies_asArrayOrString() throws Exception {
    String array = sab.certificate(spec, NS, NAME).audience("other", BROKER).sign();
    String single = sab.certificate(spec, NS, NAME).claim("aud", BROKER).sign();

    assertThat(verify(attach(spec, array)).audience()).containsExactly("other", BROKER);
    assertThat(verify(attach(spec, single)).audience()).containsExactly(BROKER);
  }

  @Test
  void audienceOfAnotherBroker_isIgnored_byTheAudienceBlindVerifier() throws Exception {
    String jws = sab.certificate(spec, NS, NAME).audience("other-broker").sign();

    VerifiedCertificate cert =
        ContractCertificateVerifier.ignoringAudience(sab.sabId(), sab.roots())
            .verify(attach(spec, jws), NS, NAME, CLOCK);

    assertThat(cert.audience()).containsExactly("other-broker");
  }

  @Test
  void validityWindow_isHalfOpen_nbfInclusive() throws Exception {
    String jws = sab.certificate(spec, NS, NAME).notBefore(NOW).sign();

    assertThat(verify(attach(spec, jws)).notBefore()).isEqualTo(NOW);
  }

  // ---- NO_CERTIFICATE ----

  @Nested
  class NoCertificate {
    @Test
    void specWithoutCertificate_isRejected_withNoCertificate() {
      rejects(spec, ReasonCode.NO_CERTIFICATE).hasMessageContaining(FIELD + " is missing");
    }

    @Test
    void nullOrBlankCertificate_isRejected_withNoCertificate() {
      ObjectNode nulled = ((ObjectNode) spec.deepCopy()).putNull("certificate");
      rejects(nulled, ReasonCode.NO_CERTIFICATE).hasMessageContaining(FIELD + " is missing");
      rejects(attach(spec, "   "), ReasonCode.NO_CERTIFICATE)
          .hasMessageContaining(FIELD + " is empty");
    }

    @Test
    void absentSpec_isRejected_withNoCertificate() {
      rejects(null, ReasonCode.NO_CERTIFICATE).hasMessageContaining(FIELD);
      rejects(IntNode.valueOf(3), ReasonCode.NO_CERTIFICATE).hasMessageContaining(FIELD);
    }
  }

  // ---- CERTIFICATE_INVALID ----

  @Nested
  class Malformed {
    @Test
    void nonStringCertificate_isRejected_withCertificateInvalid() {
      ObjectNode odd = ((ObjectNode) spec.deepCopy()).put("certificate", 7);
      rejects(odd, ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " must be a string");
    }

    @Test
    void garbage_isRejected_withCertificateInvalid() {
      rejects(attach(spec, Forge.garbage()), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " is not a compact JWS");
    }

    @Test
    void truncatedJws_isRejected_withCertificateInvalid() {
      rejects(attach(spec, Forge.truncated(golden())), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD);
    }

    @Test
    void badBase64Payload_isRejected_withCertificateInvalid() {
      rejects(attach(spec, Forge.badBase64(golden())), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD);
    }

    @Test
    void oversizedJws_isRejected_beforeParsing_withCertificateInvalid() {
      rejects(attach(spec, Forge.oversized(golden())), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " is ")
          .hasMessageContaining("more than the limit");
    }

    @Test
    void missingX5c_isRejected_withCertificateInvalid() {
      String jws = sab.certificate(spec, NS, NAME).x5c(null).sign();
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " header x5c is missing");
    }

    @Test
    void x5cWithGarbageElement_isRejected_withCertificateInvalid() {
      String jws = Forge.withHeader(golden(), h -> h.put("x5c", List.of("bm90IGEgY2VydA==")));
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " header x5c[0] is not a DER X.509 certificate");
    }

    @Test
    void criticalHeader_isRejected_withCertificateInvalid() {
      String jws = Forge.withHeader(golden(), h -> h.put("crit", List.of("exp")));
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_INVALID).hasMessageContaining(FIELD);
    }
  }

  @Nested
  class ForbiddenAlgorithmsAndForgery {
    @Test
    void algNone_isRejected_withCertificateInvalid() {
      rejects(attach(spec, Forge.algNone(golden())), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD);
    }

    @Test
    void hmacSigned_isRejected_withCertificateInvalid() {
      byte[] secret = new byte[32];
      rejects(attach(spec, Forge.hmac(golden(), secret)), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " uses algorithm 'HS256'");
    }

    @Test
    void hmacKeyedWithTheLeafPublicKey_isRejected_withCertificateInvalid() {
      String forged = Forge.hmacKeyedWithPublicKey(golden(), sab.leafCertificate().getPublicKey());
      rejects(attach(spec, forged), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " uses algorithm 'HS256'");
    }

    @Test
    void signatureByAKeyOutsideTheChain_isRejected_withCertificateInvalid() {
      JWK intruder = JoseKeys.privateJwk(TestPki.keyPair(TestPki.KeyAlgorithm.ED25519));
      String forged = sab.certificate(spec, NS, NAME).signingKey(intruder).sign();
      rejects(attach(spec, forged), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + ": signature does not verify");
    }

    @Test
    void edDsaHeaderOnAnEcLeaf_isRejected_withCertificateInvalid() {
      TestSab ec = TestSab.builder().clock(CLOCK).es256().build();
      String confused =
          Forge.withHeader(ec.certificate(spec, NS, NAME).sign(), h -> h.put("alg", "EdDSA"));
      assertThatThrownBy(
              () ->
                  ContractCertificateVerifier.forBroker(ec.sabId(), ec.roots(), BROKER)
                      .verify(attach(spec, confused), NS, NAME, CLOCK))
          .isInstanceOfSatisfying(
              VerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.CERTIFICATE_INVALID))
          .hasMessageContaining(FIELD + " is signed with EdDSA but the signing key is a EC key");
    }

    @Test
    void es256HeaderOnAnEd25519Leaf_isRejected_withCertificateInvalid() {
      String confused = Forge.withHeader(golden(), h -> h.put("alg", "ES256"));
      rejects(attach(spec, confused), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " is signed with ES256");
    }

    @Test
    void expPushedOutAfterSigning_isRejected_withCertificateInvalid() {
      String expired = sab.certificate(spec, NS, NAME).notAfter(NOW.minusSeconds(1)).sign();
      String tampered =
          Forge.withClaims(expired, c -> c.put("exp", NOW.plusSeconds(86400).getEpochSecond()));
      rejects(attach(spec, tampered), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + ": signature does not verify");
    }

    @Test
    void digestRewrittenAfterSigning_isRejected_withCertificateInvalid() {
      JsonNode edited = edited(spec);
      String tampered = Forge.withClaims(golden(), c -> c.put("sub", Digests.contract(edited)));
      rejects(attach(edited, tampered), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + ": signature does not verify");
    }
  }

  @Nested
  class IllTypedClaims {
    @Test
    void missingRequiredClaims_areRejected_withCertificateInvalid_namingTheClaim() {
      for (String claim :
          List.of("jti", "sub", "contract", "nbf", "exp", "policyEpoch", "revocationEpoch")) {
        String jws = sab.certificate(spec, NS, NAME).without(claim).sign();
        rejects(attach(spec, jws), ReasonCode.CERTIFICATE_INVALID)
            .hasMessageContaining(FIELD + " claim '" + claim + "' is missing");
      }
    }

    @Test
    void epochsThatAreNotNonNegativeIntegers_areRejected_withCertificateInvalid() {
      rejectsClaim("policyEpoch", "3", "must be an integer");
      rejectsClaim("policyEpoch", 1.5, "must be an integer");
      rejectsClaim("revocationEpoch", -1L, "must not be negative");
      rejectsClaim("exp", "tomorrow", "must be an integer");
      rejectsClaim("jti", "", "must be a non-blank string");
      rejectsClaim("aud", List.of(1, 2), "must be an array of strings");
    }

    @Test
    void nbfNotBeforeExp_isRejected_withCertificateInvalid() {
      String jws =
          sab.certificate(spec, NS, NAME)
              .notBefore(NOW.minusSeconds(10))
              .notAfter(NOW.minusSeconds(10))
              .sign();
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " claim 'nbf'")
          .hasMessageContaining("is not before 'exp'");
    }

    @Test
    void audienceWithoutThisBroker_isRejected_withCertificateInvalid() {
      String jws = sab.certificate(spec, NS, NAME).audience("other-broker").sign();
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " claim 'aud' [other-broker] does not include")
          .hasMessageContaining(BROKER);
    }

    @Test
    void emptyAudience_isRejected_withCertificateInvalid() {
      String jws = sab.certificate(spec, NS, NAME).audience().sign();
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " claim 'aud'");
    }

    private void rejectsClaim(String claim, Object value, String problem) {
      String jws = sab.certificate(spec, NS, NAME).claim(claim, value).sign();
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " claim '" + claim + "' " + problem);
    }
  }

  // ---- UNTRUSTED_ISSUER ----

  @Nested
  class Untrusted {
    @Test
    void certificateOfAnotherSabWithTheSameId_isRejected_withUntrustedIssuer() {
      TestSab impostor = TestSab.create(sab.sabId(), CLOCK);
      rejects(
              attach(spec, impostor.certificate(spec, NS, NAME).sign()),
              ReasonCode.UNTRUSTED_ISSUER)
          .hasMessageContaining(FIELD + " header x5c does not chain to a trusted root");
    }

    @Test
    void issOtherThanTheAnchorsSabId_isRejected_withUntrustedIssuer() {
      String jws = sab.certificate(spec, NS, NAME).issuer("sab.elsewhere").sign();
      rejects(attach(spec, jws), ReasonCode.UNTRUSTED_ISSUER)
          .hasMessageContaining(FIELD + " claim 'iss' is 'sab.elsewhere'");
    }

    @Test
    void untrustedChain_isReported_beforeAnyClaim() {
      TestSab impostor = TestSab.create(sab.sabId(), CLOCK);
      String expiredAndForeign =
          impostor.certificate(spec, "other", "name").notAfter(NOW.minusSeconds(5)).sign();
      rejects(attach(spec, expiredAndForeign), ReasonCode.UNTRUSTED_ISSUER)
          .hasMessageContaining(FIELD);
    }

    @Test
    void rootBundleOfTheAnchorUnreadable_isRejected_withUntrustedIssuer() {
      assertThatThrownBy(
              () ->
                  ContractCertificateVerifier.forBroker(
                      new dev.seb.contracts.v1alpha1.TrustAnchorSpec(sab.sabId(), "nope", null),
                      BROKER))
          .isInstanceOfSatisfying(
              VerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.UNTRUSTED_ISSUER))
          .hasMessageContaining("spec.rootCertificates");
    }
  }

  // ---- CONTRACT_DIGEST_MISMATCH ----

  @Nested
  class DigestAndBinding {
    @Test
    void specEditedAfterCertification_isRejected_withContractDigestMismatch() {
      rejects(attach(edited(spec), golden()), ReasonCode.CONTRACT_DIGEST_MISMATCH)
          .hasMessageContaining(FIELD + " claim 'sub' is " + Digests.contract(spec))
          .hasMessageContaining(
              "but the contract spec digests to " + Digests.contract(edited(spec)));
    }

    @Test
    void sabSignedAWrongDigest_isRejected_withContractDigestMismatch() {
      String jws = sab.certificate(spec, NS, NAME).digest(CanonicalJson.sha256("other")).sign();
      rejects(attach(spec, jws), ReasonCode.CONTRACT_DIGEST_MISMATCH)
          .hasMessageContaining(FIELD + " claim 'sub'");
    }

    @Test
    void certificateOfContractA_replayedOnIdenticalContractB_isRejected() {
      JsonNode b = attach(spec, golden());
      assertThatThrownBy(() -> verifier.verify(b, NS, "scale-web-copy", CLOCK))
          .isInstanceOfSatisfying(
              VerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.CONTRACT_DIGEST_MISMATCH))
          .hasMessageContaining(
              FIELD
                  + " claim 'contract' is 'shop/scale-web' but it is attached to"
                  + " 'shop/scale-web-copy'");
    }

    @Test
    void certificateReplayedInAnotherNamespace_isRejected() {
      JsonNode b = attach(spec, golden());
      assertThatThrownBy(() -> verifier.verify(b, "staging", NAME, CLOCK))
          .isInstanceOfSatisfying(
              VerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.CONTRACT_DIGEST_MISMATCH))
          .hasMessageContaining(FIELD + " claim 'contract'");
    }
  }

  // ---- validity window ----

  @Nested
  class ValidityWindow {
    @Test
    void certificateBeforeItsNbf_isRejected_withCertificateNotYetValid() {
      String jws =
          sab.certificate(spec, NS, NAME)
              .notBefore(NOW.plusSeconds(1))
              .notAfter(NOW.plus(Duration.ofHours(1)))
              .sign();
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_NOT_YET_VALID)
          .hasMessageContaining(FIELD + " claim 'nbf' is 2030-01-01T00:00:01Z");
    }

    @Test
    void certificatePastItsExp_isRejected_withCertificateExpired() {
      String jws =
          sab.certificate(spec, NS, NAME)
              .notBefore(NOW.minus(Duration.ofHours(2)))
              .notAfter(NOW.minusSeconds(1))
              .sign();
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_EXPIRED)
          .hasMessageContaining(FIELD + " claim 'exp' is 2029-12-31T23:59:59Z");
    }

    @Test
    void certificateAtExactlyItsExp_isRejected_withCertificateExpired() {
      String jws = sab.certificate(spec, NS, NAME).notAfter(NOW).sign();
      rejects(attach(spec, jws), ReasonCode.CERTIFICATE_EXPIRED)
          .hasMessageContaining(FIELD + " claim 'exp'");
    }

    @Test
    void goldenCertificate_expires_whenTheClockMovesOn() throws Exception {
      JsonNode signed = attach(spec, golden());
      verify(signed);

      Clock later = Clock.offset(CLOCK, Duration.ofHours(2));
      assertThatThrownBy(() -> verifier.verify(signed, NS, NAME, later))
          .isInstanceOfSatisfying(
              VerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.CERTIFICATE_EXPIRED));
    }

    @Test
    void signingLeafExpired_isRejected_withCertificateExpired() {
      TestSab old =
          TestSab.builder()
              .clock(CLOCK)
              .leafValidity(NOW.minus(Duration.ofDays(30)), NOW.minusSeconds(1))
              .build();
      String jws = old.certificate(spec, NS, NAME).sign();
      assertThatThrownBy(
              () ->
                  ContractCertificateVerifier.forBroker(old.sabId(), old.roots(), BROKER)
                      .verify(attach(spec, jws), NS, NAME, CLOCK))
          .isInstanceOfSatisfying(
              VerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.CERTIFICATE_EXPIRED))
          .hasMessageContaining(FIELD + " header x5c[0] expired at");
    }
  }

  @Test
  void unexpectedFailureInsideTheVerifier_failsClosed_asCertificateInvalid() {
    // a number beyond IEEE 754 double cannot be canonicalised: the digest step throws
    ObjectNode poisoned =
        ((ObjectNode) spec.deepCopy())
            .put("weight", new java.math.BigInteger("1" + "0".repeat(400)));
    poisoned.put("certificate", golden());

    rejects(poisoned, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + " cannot be verified");
  }

  // ---- helpers ----

  private static String golden() {
    return sab.certificate(spec, NS, NAME).sign();
  }

  private static VerifiedCertificate verify(JsonNode withCertificate) throws VerificationException {
    return verifier.verify(withCertificate, NS, NAME, CLOCK);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejects(
      JsonNode withCertificate, ReasonCode reason) {
    return assertThatThrownBy(() -> verify(withCertificate))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static JsonNode attach(JsonNode spec, String certificate) {
    ObjectNode copy = ((ObjectNode) spec).deepCopy();
    copy.put("certificate", certificate);
    return copy;
  }

  /** The same contract with maxReplicas raised: what an attacker would like certified. */
  private static JsonNode edited(JsonNode spec) {
    ObjectNode copy = ((ObjectNode) spec).deepCopy();
    ((ObjectNode) copy.get("operations").get(0).get("constraints")).put("maxReplicas", 500);
    return copy;
  }

  private static JsonNode yaml(String name) throws IOException {
    return new YAMLMapper().readTree(resource(name));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ContractCertificateVerifierTest.class.getResourceAsStream(name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
