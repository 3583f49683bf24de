package dev.seb.contracts.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.certificate.ContractCertificateVerifier;
import dev.seb.contracts.certificate.VerifiedCertificate;
import dev.seb.contracts.testkit.TestSab;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EpochPolicyTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Clock LATER = Clock.offset(CLOCK, Duration.ofMinutes(30));

  private static TestSab sab;
  private static JsonNode spec;

  @BeforeAll
  static void sab() throws Exception {
    sab = TestSab.create(CLOCK);
    spec =
        CanonicalJson.mapper()
            .readTree(
                "{\"target\":{\"kubernetes\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                    + "\"namespace\":\"shop\",\"name\":\"web\"}},"
                    + "\"operations\":[{\"type\":\"scale\"}]}");
  }

  @Test
  void currentCertificate_underAFreshStatement_passes() throws Exception {
    VerifiedCertificate cert = certificate("cert-1", 3, 7);

    assertThatCode(() -> EpochPolicy.check(cert, statement(3, 7), CLOCK))
        .doesNotThrowAnyException();
    assertThatCode(() -> EpochPolicy.check(certificate("cert-2", 4, 7), statement(3, 7), CLOCK))
        .doesNotThrowAnyException();
  }

  @Test
  void noStatement_failsClosed_withEpochStatementStale() throws Exception {
    rejects(certificate("cert-1", 3, 7), null, CLOCK, ReasonCode.EPOCH_STATEMENT_STALE)
        .hasMessageContaining("spec.epochStatement");
  }

  @Test
  void statementThatExpiredSinceItWasVerified_failsClosed_withEpochStatementStale()
      throws Exception {
    VerifiedEpochStatement statement = statement(3, 7);

    rejects(certificate("cert-1", 3, 7), statement, LATER, ReasonCode.EPOCH_STATEMENT_STALE)
        .hasMessageContaining("spec.epochStatement claim 'exp'");
  }

  @Test
  void staleStatement_isReported_beforeARevokedSerial() throws Exception {
    VerifiedEpochStatement statement = statement(3, 7, "cert-1");

    rejects(certificate("cert-1", 3, 7), statement, LATER, ReasonCode.EPOCH_STATEMENT_STALE);
  }

  @Test
  void statementOfAnotherIssuer_failsClosed_withEpochStatementStale() throws Exception {
    TestSab other = TestSab.create("sab.other", CLOCK);
    VerifiedEpochStatement foreign =
        new EpochStatementVerifier(other.sabId(), other.roots())
            .verify(other.epochStatement().minPolicyEpoch(3).revocationEpoch(7).sign(), CLOCK);

    rejects(certificate("cert-1", 3, 7), foreign, CLOCK, ReasonCode.EPOCH_STATEMENT_STALE)
        .hasMessageContaining("spec.certificate claim 'iss'");
  }

  @Test
  void revokedSerial_isRejected_withCertificateRevoked() throws Exception {
    rejects(
            certificate("cert-1", 3, 7),
            statement(3, 7, "cert-0", "cert-1"),
            CLOCK,
            ReasonCode.CERTIFICATE_REVOKED)
        .hasMessageContaining("spec.certificate claim 'jti' (cert-1)")
        .hasMessageContaining("revokedSerials");
  }

  @Test
  void olderRevocationEpoch_isRejected_withRevocationEpochStale() throws Exception {
    rejects(certificate("cert-1", 3, 6), statement(3, 7), CLOCK, ReasonCode.REVOCATION_EPOCH_STALE)
        .hasMessageContaining("spec.certificate claim 'revocationEpoch' is 6")
        .hasMessageContaining("revocationEpoch is 7");
  }

  @Test
  void newerRevocationEpochThanTheStatement_isRejected_withRevocationEpochStale() throws Exception {
    rejects(certificate("cert-1", 3, 8), statement(3, 7), CLOCK, ReasonCode.REVOCATION_EPOCH_STALE)
        .hasMessageContaining("spec.certificate claim 'revocationEpoch' is 8");
  }

  @Test
  void policyEpochBelowTheMinimum_isRejected_withPolicyEpochStale() throws Exception {
    rejects(certificate("cert-1", 2, 7), statement(3, 7), CLOCK, ReasonCode.POLICY_EPOCH_STALE)
        .hasMessageContaining("spec.certificate claim 'policyEpoch' is 2")
        .hasMessageContaining("minPolicyEpoch 3");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejects(
      VerifiedCertificate cert, VerifiedEpochStatement statement, Clock clock, ReasonCode reason) {
    return assertThatThrownBy(() -> EpochPolicy.check(cert, statement, clock))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static VerifiedCertificate certificate(String serial, long policy, long revocation)
      throws VerificationException {
    String jws =
        sab.certificate(spec, "shop", "scale-web")
            .serial(serial)
            .policyEpoch(policy)
            .revocationEpoch(revocation)
            .notAfter(NOW.plus(Duration.ofHours(2)))
            .sign();
    ObjectNode signed = ((ObjectNode) spec).deepCopy().put("certificate", jws);
    return ContractCertificateVerifier.ignoringAudience(sab.sabId(), sab.roots())
        .verify(signed, "shop", "scale-web", CLOCK);
  }

  private static VerifiedEpochStatement statement(
      long minPolicy, long revocation, String... revoked) throws VerificationException {
    return new EpochStatementVerifier(sab.sabId(), sab.roots())
        .verify(
            sab.epochStatement()
                .minPolicyEpoch(minPolicy)
                .revocationEpoch(revocation)
                .revoke(revoked)
                .expiresAt(NOW.plus(Duration.ofMinutes(10)))
                .sign(),
            CLOCK);
  }
}
