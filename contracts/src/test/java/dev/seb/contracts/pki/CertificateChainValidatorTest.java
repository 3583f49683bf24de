package dev.seb.contracts.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.testkit.TestPki;
import dev.seb.contracts.testkit.TestSab;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

class CertificateChainValidatorTest {

  private static final String FIELD = "spec.certificate header x5c";
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestSab SAB = TestSab.create(CLOCK);

  @Test
  void ed25519Chain_toItsRoot_isAccepted() throws Exception {
    ValidatedChain chain = validate(SAB.x5c(), SAB);

    assertThat(chain.leaf()).isEqualTo(SAB.leafCertificate());
    assertThat(chain.path()).containsExactlyElementsOf(SAB.chain());
    assertThat(chain.root()).isEqualTo(SAB.rootCertificate());
  }

  @Test
  void es256Chain_toItsRoot_isAccepted() throws Exception {
    TestSab ec = TestSab.builder().clock(CLOCK).es256().build();

    assertThat(validate(ec.x5c(), ec).leaf()).isEqualTo(ec.leafCertificate());
  }

  @Test
  void chainCarryingItsRoot_isAccepted() throws Exception {
    TestSab withRoot = TestSab.builder().clock(CLOCK).rootInX5c().build();

    assertThat(withRoot.x5c()).hasSize(3);
    assertThat(validate(withRoot.x5c(), withRoot).path()).hasSize(2);
  }

  @Test
  void threeCaDeepChain_withoutPathLen_isAccepted() throws Exception {
    TestSab deep = TestSab.builder().clock(CLOCK).subordinateCa().build();

    assertThat(validate(deep.x5c(), deep).path()).hasSize(3);
  }

  @Test
  void chainOfAnotherSab_isRejected_withUntrustedIssuer() {
    TestSab other = TestSab.create(SAB.sabId(), CLOCK);

    rejects(other.x5c(), SAB, ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining(FIELD + " does not chain to a trusted root");
  }

  @Test
  void otherSabChainEndingInItsOwnRoot_isRejected_withUntrustedIssuer() {
    TestSab other = TestSab.builder().sabId(SAB.sabId()).clock(CLOCK).rootInX5c().build();

    rejects(other.x5c(), SAB, ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining("does not chain to a trusted root");
  }

  @Test
  void leafWithoutItsIssuingCa_isRejected_withUntrustedIssuer() {
    rejects(SAB.x5c().subList(0, 1), SAB, ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining("does not chain to a trusted root");
  }

  @Test
  void intermediateWithPathLenZero_issuingAnotherCa_isRejected_withUntrustedIssuer() {
    TestSab sab = TestSab.builder().clock(CLOCK).intermediatePathLen(0).subordinateCa().build();

    rejects(sab.x5c(), sab, ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining("does not chain to a trusted root at " + FIELD + "[1]")
        .hasMessageContaining("pathLenConstraint");
  }

  @Test
  void intermediateWithPathLenZero_issuingALeaf_isAccepted() throws Exception {
    TestSab sab = TestSab.builder().clock(CLOCK).intermediatePathLen(0).build();

    assertThat(validate(sab.x5c(), sab).leaf()).isEqualTo(sab.leafCertificate());
  }

  @Test
  void issuerThatIsNotACa_isRejected_withUntrustedIssuer() {
    TestSab sab = TestSab.builder().clock(CLOCK).intermediateNotCa().build();

    rejects(sab.x5c(), sab, ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining("does not chain to a trusted root at " + FIELD + "[1]")
        .hasMessageContaining("not a CA");
  }

  @Test
  void issuerWithoutKeyCertSign_isRejected_withUntrustedIssuer() {
    TestSab sab =
        TestSab.builder().clock(CLOCK).intermediateKeyUsage(KeyUsage.digitalSignature).build();

    rejects(sab.x5c(), sab, ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining("does not chain to a trusted root at " + FIELD + "[1]")
        .hasMessageContaining("keyCertSign");
  }

  @Test
  void leafThatIsACa_isRejected_withCertificateInvalid() {
    TestSab sab = TestSab.builder().clock(CLOCK).leafIsCa().build();

    rejects(sab.x5c(), sab, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + "[0]")
        .hasMessageContaining("is a CA certificate");
  }

  @Test
  void leafWithoutDigitalSignature_isRejected_withCertificateInvalid() {
    TestSab sab = TestSab.builder().clock(CLOCK).leafKeyUsage(KeyUsage.keyEncipherment).build();

    rejects(sab.x5c(), sab, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + "[0]")
        .hasMessageContaining("lacks the digitalSignature key usage");
  }

  @Test
  void expiredLeaf_isRejected_withCertificateExpired() {
    TestSab sab =
        TestSab.builder()
            .clock(CLOCK)
            .leafValidity(NOW.minus(Duration.ofDays(10)), NOW.minusSeconds(1))
            .build();

    rejects(sab.x5c(), sab, ReasonCode.CERTIFICATE_EXPIRED)
        .hasMessageContaining(FIELD + "[0] expired at");
  }

  @Test
  void leafNotYetValid_isRejected_withCertificateNotYetValid() {
    TestSab sab =
        TestSab.builder()
            .clock(CLOCK)
            .leafValidity(NOW.plusSeconds(60), NOW.plus(Duration.ofDays(10)))
            .build();

    rejects(sab.x5c(), sab, ReasonCode.CERTIFICATE_NOT_YET_VALID)
        .hasMessageContaining(FIELD + "[0] is not valid before");
  }

  @Test
  void expiredIntermediate_isRejected_withCertificateExpired_namingIt() {
    TestSab sab =
        TestSab.builder()
            .clock(CLOCK)
            .intermediateValidity(NOW.minus(Duration.ofDays(10)), NOW.minusSeconds(1))
            .build();

    rejects(sab.x5c(), sab, ReasonCode.CERTIFICATE_EXPIRED)
        .hasMessageContaining(FIELD + "[1] expired at");
  }

  @Test
  void expiredRoot_isRejected_withUntrustedIssuer() {
    TestSab sab =
        TestSab.builder()
            .clock(CLOCK)
            .rootValidity(NOW.minus(Duration.ofDays(100)), NOW.minusSeconds(1))
            .build();

    rejects(sab.x5c(), sab, ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining(FIELD + " root (")
        .hasMessageContaining("expired at");
  }

  @Test
  void missingOrEmptyChain_isRejected_withCertificateInvalid() {
    rejects(null, SAB, ReasonCode.CERTIFICATE_INVALID).hasMessageContaining(FIELD + " is missing");
    rejects(List.of(), SAB, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + " is missing");
  }

  @Test
  void chainLongerThanFive_isRejected_withCertificateInvalid() {
    List<String> six = new ArrayList<>(Collections.nCopies(6, SAB.x5c().get(0)));

    rejects(six, SAB, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + " has 6 certificates");
  }

  @Test
  void base64urlOrGarbageElement_isRejected_withCertificateInvalid() {
    String leaf = SAB.x5c().get(0);
    String urlSafe = leaf.replace('+', '-').replace('/', '_');
    String broken = leaf.contains("+") || leaf.contains("/") ? urlSafe : "$$" + leaf;

    rejects(List.of(broken, SAB.x5c().get(1)), SAB, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + "[0] is not standard base64");
  }

  @Test
  void elementThatIsNotDer_isRejected_withCertificateInvalid() {
    String notDer = Base64.getEncoder().encodeToString("not a certificate".getBytes());

    rejects(List.of(SAB.x5c().get(0), notDer), SAB, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + "[1] is not a DER X.509 certificate");
  }

  @Test
  void elementWithTrailingBytes_isRejected_withCertificateInvalid() throws Exception {
    byte[] der = SAB.leafCertificate().getEncoded();
    byte[] padded = java.util.Arrays.copyOf(der, der.length + 4);
    String withTail = Base64.getEncoder().encodeToString(padded);

    rejects(List.of(withTail, SAB.x5c().get(1)), SAB, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + "[0]");
  }

  @Test
  void oversizedElement_isRejected_beforeDecoding_withCertificateInvalid() {
    String huge = "A".repeat(CertificateChainValidator.MAX_CERTIFICATE_BYTES * 2);

    rejects(List.of(huge), SAB, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + "[0] is " + huge.length() + " base64 characters");
  }

  @Test
  void selfSignedLeaf_isRejected() {
    var keys = TestPki.keyPair(TestPki.KeyAlgorithm.ED25519);
    var self = TestPki.certificate("CN=self", keys.getPublic()).selfSigned(keys).build();

    rejects(List.of(TestPki.x5c(self)), SAB, ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining("does not chain to a trusted root");
  }

  private static ValidatedChain validate(List<String> x5c, TestSab sab)
      throws VerificationException {
    return CertificateChainValidator.validate(x5c, sab.roots(), CLOCK, FIELD);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejects(
      List<String> x5c, TestSab sab, ReasonCode reason) {
    return assertThatThrownBy(() -> validate(x5c, sab))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(FIELD);
  }
}
