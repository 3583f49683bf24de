package dev.seb.contracts.execution;

import static dev.seb.contracts.execution.PipelineFixture.CLOCK;
import static dev.seb.contracts.execution.PipelineFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.epoch.EpochStatementVerifier;
import dev.seb.contracts.epoch.HighWaterMark;
import dev.seb.contracts.time.ClockLeeway;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Step 3 and 5 as the broker runs them: the broker's own epoch high-water mark, and the clock
 * leeway on every validity bound, at both edges (just inside, just outside).
 */
class AuthorityRecheckTest {

  private static final Duration LEEWAY = Duration.ofSeconds(30);
  // JWS times are whole seconds (NumericDate)
  private static final Duration TICK = Duration.ofSeconds(1);

  private final PipelineFixture fixture = new PipelineFixture();
  private final DecisionPipeline pipeline = new DecisionPipeline(CLOCK, ClockLeeway.of(LEEWAY));

  private Decision decide() {
    return pipeline.decide(fixture.input());
  }

  private void assertAdmitted() {
    Decision decision = decide();
    assertThat(decision)
        .as(decision instanceof Decision.Deny d ? d.reason() + ": " + d.message() : "")
        .isInstanceOf(Decision.Admit.class);
  }

  private void assertDenied(ReasonCode reason, String... messageParts) {
    Decision decision = decide();
    assertThat(decision).isInstanceOf(Decision.Deny.class);
    Decision.Deny deny = (Decision.Deny) decision;
    assertThat(deny.reason()).as(deny.message()).isEqualTo(reason);
    assertThat(deny.message()).contains(messageParts);
  }

  // ---- epoch high-water mark ----

  @Test
  void statementAtTheMark_isAdmitted() {
    fixture.mark = new HighWaterMark(1, 1, NOW.minus(Duration.ofMinutes(1)));
    assertAdmitted();
  }

  @Test
  void statementBelowTheMarksRevocationEpoch_isRollback_evenThoughItIsGenuineAndFresh() {
    // the broker saw revocation epoch 2; the anchor now carries the older epoch-1 statement
    fixture.mark = new HighWaterMark(1, 2, NOW.minus(Duration.ofMinutes(2)));
    assertDenied(ReasonCode.EPOCH_ROLLBACK, "revocationEpoch", "below the high-water mark");
  }

  @Test
  void statementBelowTheMarksPolicyEpoch_isRollback() {
    fixture.mark = new HighWaterMark(3, 1, null);
    assertDenied(ReasonCode.EPOCH_ROLLBACK, "minPolicyEpoch");
  }

  @Test
  void olderStatementOfTheSameEpochs_isRollback() {
    // a superseded statement of the same epochs may have a shorter revocation list
    fixture.mark = new HighWaterMark(1, 1, NOW);
    assertDenied(ReasonCode.EPOCH_ROLLBACK, "iat");
  }

  @Test
  void noMark_failsClosed() {
    fixture.mark = null;
    assertDenied(ReasonCode.INTERNAL_ERROR, "high-water mark", "fails closed");
  }

  @Test
  void rollbackIsCheckedBeforeTheRevocationList() {
    // an older statement that happens to revoke the serial is still reported as the rollback
    fixture.mark = new HighWaterMark(1, 2, null);
    fixture.certificate = c -> c.serial("serial-7");
    fixture.epochStatement = fixture.sab.epochStatement().revoke("serial-7").sign();
    assertDenied(ReasonCode.EPOCH_ROLLBACK, "revocationEpoch");
  }

  // ---- clock leeway: certificate nbf (accepted up to the leeway early) ----

  @Test
  void certificateNotBeforeJustInsideTheLeeway_isAdmitted() {
    fixture.certificate = c -> c.notBefore(NOW.plus(LEEWAY));
    assertAdmitted();
  }

  @Test
  void certificateNotBeforeJustOutsideTheLeeway_isNotYetValid() {
    fixture.certificate = c -> c.notBefore(NOW.plus(LEEWAY).plus(TICK));
    assertDenied(ReasonCode.CERTIFICATE_NOT_YET_VALID, "nbf", "clock leeway PT30S");
  }

  // ---- certificate exp (reached the leeway early) ----

  @Test
  void certificateExpiringJustAfterTheLeeway_isAdmitted() {
    fixture.certificate = c -> c.notAfter(NOW.plus(LEEWAY).plus(TICK));
    assertAdmitted();
  }

  @Test
  void certificateExpiringWithinTheLeeway_isExpired() {
    fixture.certificate = c -> c.notAfter(NOW.plus(LEEWAY));
    assertDenied(ReasonCode.CERTIFICATE_EXPIRED, "exp", "clock leeway PT30S");
  }

  // ---- epoch statement exp ----

  @Test
  void statementExpiringJustAfterTheLeeway_isAdmitted() {
    fixture.epochStatement =
        fixture.sab.epochStatement().expiresAt(NOW.plus(LEEWAY).plus(TICK)).sign();
    assertAdmitted();
  }

  @Test
  void statementExpiringWithinTheLeeway_isStale() {
    fixture.epochStatement = fixture.sab.epochStatement().expiresAt(NOW.plus(LEEWAY)).sign();
    assertDenied(ReasonCode.EPOCH_STATEMENT_STALE, "exp", "clock leeway PT30S");
  }

  // ---- mandate lifecycle.notAfter ----

  @Test
  void mandateEndingJustAfterTheLeeway_isAdmitted() {
    fixture.mandateSpec.putObject("lifecycle").put("notAfter", NOW.plus(LEEWAY).plus(TICK) + "");
    assertAdmitted();
  }

  @Test
  void mandateEndingWithinTheLeeway_isInactive() {
    fixture.mandateSpec.putObject("lifecycle").put("notAfter", NOW.plus(LEEWAY) + "");
    assertDenied(ReasonCode.MANDATE_INACTIVE, "notAfter", "clock leeway PT30S");
  }

  // ---- epoch statement iat, verified with the leeway ----

  @Test
  void statementIssuedJustInsideTheLeeway_isAccepted_justOutsideIsNot() throws Exception {
    EpochStatementVerifier verifier =
        new EpochStatementVerifier(fixture.sab.sabId(), fixture.sab.roots());
    ClockLeeway leeway = ClockLeeway.of(LEEWAY);
    String inside = fixture.sab.epochStatement().issuedAt(NOW.plus(LEEWAY)).sign();
    assertThat(verifier.verify(inside, CLOCK, leeway).issuedAt()).isEqualTo(NOW.plus(LEEWAY));
    String outside = fixture.sab.epochStatement().issuedAt(NOW.plus(LEEWAY).plus(TICK)).sign();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> verifier.verify(outside, CLOCK, leeway))
        .isInstanceOfSatisfying(
            dev.seb.contracts.VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.CERTIFICATE_NOT_YET_VALID));
  }

  @Test
  void withoutLeeway_theBoundsAreExact() {
    DecisionPipeline exact = new DecisionPipeline(CLOCK);
    fixture.certificate = c -> c.notBefore(NOW.plus(TICK));
    Decision decision = exact.decide(fixture.input());
    assertThat(((Decision.Deny) decision).reason()).isEqualTo(ReasonCode.CERTIFICATE_NOT_YET_VALID);
    fixture.certificate = c -> c.notAfter(NOW.plus(TICK));
    assertThat(exact.decide(fixture.input())).isInstanceOf(Decision.Admit.class);
  }
}
