package dev.seb.contracts.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.testkit.TestPki;
import dev.seb.contracts.testkit.TestSab;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class TrustRootsTest {

  private static final String FIELD = "spec.rootCertificates";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void bundleOfTwoRoots_parses_inOrder() throws Exception {
    TestSab a = TestSab.create(CLOCK);
    TestSab b = TestSab.create(CLOCK);

    TrustRoots roots = TrustRoots.fromPem(a.rootsPem() + "\n" + b.rootsPem(), FIELD);

    assertThat(roots.certificates()).containsExactly(a.rootCertificate(), b.rootCertificate());
  }

  @Test
  void emptyOrBlankBundle_isRejected_withUntrustedIssuer() {
    rejects(null).hasMessageContaining(FIELD + " is empty");
    rejects("  \n").hasMessageContaining(FIELD + " is empty");
  }

  @Test
  void textWithoutPemBlock_isRejected_withUntrustedIssuer() throws IOException {
    rejects(fixture("no-pem-block.txt")).hasMessageContaining(FIELD + " holds no PEM");
  }

  @Test
  void badBase64InsideBlock_isRejected_withUntrustedIssuer() throws IOException {
    rejects(fixture("bad-base64.pem")).hasMessageContaining(FIELD + " block 0 is not valid PEM");
  }

  @Test
  void truncatedBlock_isRejected_withUntrustedIssuer() throws IOException {
    rejects(fixture("truncated.pem")).hasMessageContaining(FIELD + " block 0 is not valid PEM");
  }

  @Test
  void certificateBlockHoldingNoDer_isRejected_withUntrustedIssuer() throws IOException {
    rejects(fixture("not-der.pem"))
        .hasMessageContaining(FIELD + " block 0 is not a DER X.509 certificate");
  }

  @Test
  void keyBlock_isRejected_withoutEchoingTheKey() throws IOException {
    String pem = fixture("public-key.pem");
    rejects(pem)
        .hasMessageContaining(FIELD + " block 0 is a 'PUBLIC KEY', not a CERTIFICATE")
        .hasMessageNotContaining("MCowBQYDK2VwAyEA");
  }

  @Test
  void keyBlockAfterGoodRoot_isRejected_namingItsPosition() throws IOException {
    rejects(TestSab.create(CLOCK).rootsPem() + fixture("public-key.pem"))
        .hasMessageContaining(FIELD + " block 1 is a 'PUBLIC KEY'");
  }

  @Test
  void endEntityAsRoot_isRejected_withUntrustedIssuer() {
    KeyPair keys = TestPki.keyPair(TestPki.KeyAlgorithm.ED25519);
    X509Certificate notCa =
        TestPki.certificate("CN=not a ca", keys.getPublic()).selfSigned(keys).build();

    rejects(TestPki.pem(List.of(notCa)))
        .hasMessageContaining(FIELD + " block 0 (CN=not a ca) is not a CA");
  }

  @Test
  void caWithoutKeyCertSign_isRejected_withUntrustedIssuer() {
    KeyPair keys = TestPki.keyPair(TestPki.KeyAlgorithm.P256);
    X509Certificate ca =
        TestPki.certificate("CN=odd ca", keys.getPublic())
            .selfSigned(keys)
            .ca(null)
            .keyUsage(TestPki.LEAF_KEY_USAGE)
            .build();

    rejects(TestPki.pem(List.of(ca))).hasMessageContaining("keyUsage lacks keyCertSign");
  }

  @Test
  void oversizedBundle_isRejected_withUntrustedIssuer() {
    rejects("x".repeat(TrustRoots.MAX_PEM_LENGTH + 1))
        .hasMessageContaining(FIELD + " is " + (TrustRoots.MAX_PEM_LENGTH + 1) + " characters");
  }

  @Test
  void tooManyRoots_isRejected_withUntrustedIssuer() {
    String one = TestSab.create(CLOCK).rootsPem();
    rejects(one.repeat(TrustRoots.MAX_ROOTS + 1))
        .hasMessageContaining(FIELD + " holds more than " + TrustRoots.MAX_ROOTS);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejects(String pem) {
    return assertThatThrownBy(() -> TrustRoots.fromPem(pem, FIELD))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.UNTRUSTED_ISSUER))
        .hasMessageContaining(FIELD);
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = TrustRootsTest.class.getResourceAsStream(name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
