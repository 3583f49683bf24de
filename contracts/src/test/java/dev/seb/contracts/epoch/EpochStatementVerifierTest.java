package dev.seb.contracts.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.testkit.Forge;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.TrustAnchorStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class EpochStatementVerifierTest {

  private static final String FIELD = "spec.epochStatement";
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestSab SAB = TestSab.create(CLOCK);
  private static final EpochStatementVerifier VERIFIER =
      new EpochStatementVerifier(SAB.sabId(), SAB.roots());

  @Test
  void statementFromTheSab_verifies_andSaysWhatIsInForce() throws Exception {
    String jws =
        SAB.epochStatement()
            .issuedAt(NOW.minusSeconds(30))
            .expiresAt(NOW.plusSeconds(600))
            .minPolicyEpoch(4)
            .revocationEpoch(9)
            .revoke("cert-2", "cert-1")
            .sign();

    VerifiedEpochStatement statement = VERIFIER.verify(jws, CLOCK);

    assertThat(statement.issuer()).isEqualTo(SAB.sabId());
    assertThat(statement.issuedAt()).isEqualTo(NOW.minusSeconds(30));
    assertThat(statement.expiresAt()).isEqualTo(NOW.plusSeconds(600));
    assertThat(statement.minPolicyEpoch()).isEqualTo(4);
    assertThat(statement.revocationEpoch()).isEqualTo(9);
    assertThat(statement.revokedSerials()).containsExactlyInAnyOrder("cert-1", "cert-2");
    assertThat(statement.digest()).isEqualTo(CanonicalJson.sha256(jws));

    TrustAnchorStatus status = new TrustAnchorStatus();
    statement.writeTo(status);
    assertThat(status.getPolicyEpoch()).isEqualTo(4L);
    assertThat(status.getRevocationEpoch()).isEqualTo(9L);
    assertThat(status.getRevokedSerials()).containsExactly("cert-1", "cert-2");
    assertThat(status.getStatementIssuedAt()).isEqualTo("2029-12-31T23:59:30Z");
    assertThat(status.getStatementExpiresAt()).isEqualTo("2030-01-01T00:10:00Z");
  }

  @Test
  void es256StatementForATrustAnchorSpec_verifies() throws Exception {
    TestSab ec = TestSab.builder().clock(CLOCK).es256().build();
    String jws = ec.epochStatement().sign();

    VerifiedEpochStatement statement =
        EpochStatementVerifier.forAnchor(ec.trustAnchorSpec(jws)).verify(jws, CLOCK);

    assertThat(statement.revokedSerials()).isEmpty();
  }

  @Test
  void missingStatement_isRejected_withEpochStatementStale() {
    rejects(null, ReasonCode.EPOCH_STATEMENT_STALE).hasMessageContaining(FIELD + " is missing");
    rejects(" ", ReasonCode.EPOCH_STATEMENT_STALE).hasMessageContaining(FIELD + " is missing");
  }

  @Test
  void expiredStatement_isRejected_withEpochStatementStale() {
    String jws =
        SAB.epochStatement()
            .issuedAt(NOW.minus(Duration.ofHours(2)))
            .expiresAt(NOW.minusSeconds(1))
            .sign();
    rejects(jws, ReasonCode.EPOCH_STATEMENT_STALE)
        .hasMessageContaining(FIELD + " claim 'exp' is 2029-12-31T23:59:59Z");
  }

  @Test
  void statementAtExactlyItsExp_isRejected_withEpochStatementStale() {
    String jws = SAB.epochStatement().expiresAt(NOW).sign();
    rejects(jws, ReasonCode.EPOCH_STATEMENT_STALE).hasMessageContaining(FIELD + " claim 'exp'");
  }

  @Test
  void statementIssuedInTheFuture_isRejected_withNotYetValid() {
    String jws = SAB.epochStatement().issuedAt(NOW.plusSeconds(5)).sign();
    rejects(jws, ReasonCode.CERTIFICATE_NOT_YET_VALID)
        .hasMessageContaining(FIELD + " claim 'iat' is 2030-01-01T00:00:05Z");
  }

  @Test
  void iatNotBeforeExp_isRejected_withCertificateInvalid() {
    String jws =
        SAB.epochStatement().issuedAt(NOW.minusSeconds(5)).expiresAt(NOW.minusSeconds(5)).sign();
    rejects(jws, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + " claim 'iat'")
        .hasMessageContaining("is not before 'exp'");
  }

  @Test
  void statementOfAnotherSab_isRejected_withUntrustedIssuer() {
    TestSab impostor = TestSab.create(SAB.sabId(), CLOCK);
    rejects(impostor.epochStatement().sign(), ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining(FIELD + " header x5c does not chain to a trusted root");
  }

  @Test
  void statementNamingAnotherIssuer_isRejected_withUntrustedIssuer() {
    rejects(SAB.epochStatement().issuer("sab.elsewhere").sign(), ReasonCode.UNTRUSTED_ISSUER)
        .hasMessageContaining(FIELD + " claim 'iss' is 'sab.elsewhere'");
  }

  @Test
  void revocationsDroppedAfterSigning_isRejected_withCertificateInvalid() {
    String signed = SAB.epochStatement().revoke("cert-9").sign();
    String tampered = Forge.withClaims(signed, c -> c.put("revokedSerials", List.of()));
    rejects(tampered, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + ": signature does not verify");
  }

  @Test
  void expExtendedAfterSigning_isRejected_withCertificateInvalid() {
    String stale =
        SAB.epochStatement()
            .issuedAt(NOW.minus(Duration.ofHours(2)))
            .expiresAt(NOW.minusSeconds(1))
            .sign();
    String tampered =
        Forge.withClaims(stale, c -> c.put("exp", NOW.plusSeconds(3600).getEpochSecond()));
    rejects(tampered, ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + ": signature does not verify");
  }

  @Test
  void algNoneAndHmac_areRejected_withCertificateInvalid() {
    String golden = SAB.epochStatement().sign();
    rejects(Forge.algNone(golden), ReasonCode.CERTIFICATE_INVALID).hasMessageContaining(FIELD);
    rejects(Forge.hmac(golden, new byte[32]), ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + " uses algorithm 'HS256'");
  }

  @Test
  void malformedOrOversizedStatement_isRejected_withCertificateInvalid() {
    String golden = SAB.epochStatement().sign();
    rejects(Forge.garbage(), ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + " is not a compact JWS");
    rejects(Forge.truncated(golden), ReasonCode.CERTIFICATE_INVALID).hasMessageContaining(FIELD);
    rejects(Forge.oversized(golden), ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining("more than the limit");
  }

  @Test
  void missingOrIllTypedClaims_areRejected_withCertificateInvalid_namingTheClaim() {
    for (String claim :
        List.of("iat", "exp", "minPolicyEpoch", "revocationEpoch", "revokedSerials")) {
      rejects(SAB.epochStatement().without(claim).sign(), ReasonCode.CERTIFICATE_INVALID)
          .hasMessageContaining(FIELD + " claim '" + claim + "' is missing");
    }
    rejects(
            SAB.epochStatement().claim("revokedSerials", "cert-1").sign(),
            ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + " claim 'revokedSerials' must be an array of strings");
    rejects(
            SAB.epochStatement().claim("minPolicyEpoch", -3L).sign(),
            ReasonCode.CERTIFICATE_INVALID)
        .hasMessageContaining(FIELD + " claim 'minPolicyEpoch' must not be negative");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejects(
      String jws, ReasonCode reason) {
    return assertThatThrownBy(() -> VERIFIER.verify(jws, CLOCK))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
