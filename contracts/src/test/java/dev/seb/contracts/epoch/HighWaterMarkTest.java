package dev.seb.contracts.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.TrustAnchorStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class HighWaterMarkTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestSab SAB = TestSab.create(CLOCK);
  private static final EpochStatementVerifier VERIFIER =
      new EpochStatementVerifier(SAB.sabId(), SAB.roots());
  private static final Instant T0 = NOW.minusSeconds(600);

  /** The mark after accepting a statement issued at T0 with epochs (5, 7). */
  private static final HighWaterMark MARK = new HighWaterMark(5, 7, T0);

  @Test
  void nothingAcceptedYet_acceptsAnyStatement_andRecordsIt() throws Exception {
    HighWaterMark next = HighWaterMark.none().advance(statement(0, 0, T0));

    assertThat(next).isEqualTo(new HighWaterMark(0, 0, T0));
  }

  @Test
  void higherEpochs_areAccepted_andRaiseTheMark() throws Exception {
    assertThat(MARK.advance(statement(6, 8, T0.plusSeconds(1))))
        .isEqualTo(new HighWaterMark(6, 8, T0.plusSeconds(1)));
  }

  @Test
  void theSameStatementAgain_isAccepted() throws Exception {
    assertThat(MARK.advance(statement(5, 7, T0))).isEqualTo(MARK);
  }

  @Test
  void refreshedStatementWithEqualEpochs_isAccepted() throws Exception {
    assertThat(MARK.advance(statement(5, 7, T0.plusSeconds(300))).issuedAt())
        .isEqualTo(T0.plusSeconds(300));
  }

  @Test
  void lowerMinPolicyEpoch_isRejected_withEpochRollback() throws Exception {
    rollback(statement(4, 7, T0.plusSeconds(1)))
        .hasMessageContaining("spec.epochStatement claim 'minPolicyEpoch' is 4")
        .hasMessageContaining("below the high-water mark 5");
  }

  @Test
  void lowerRevocationEpoch_isRejected_withEpochRollback() throws Exception {
    rollback(statement(9, 6, T0.plusSeconds(1)))
        .hasMessageContaining("spec.epochStatement claim 'revocationEpoch' is 6");
  }

  @Test
  void olderStatementWithEqualEpochs_isRejected_withEpochRollback() throws Exception {
    rollback(statement(5, 7, T0.minusSeconds(1)))
        .hasMessageContaining("spec.epochStatement claim 'iat' is 2029-12-31T23:49:59Z");
  }

  @Test
  void markRoundTripsThroughTrustAnchorStatus() throws Exception {
    VerifiedEpochStatement accepted = statement(5, 7, T0);
    TrustAnchorStatus status = new TrustAnchorStatus();
    accepted.writeTo(status);

    assertThat(HighWaterMark.fromStatus(status)).isEqualTo(MARK);
    assertThat(HighWaterMark.fromStatus(new TrustAnchorStatus())).isEqualTo(HighWaterMark.none());
    assertThat(HighWaterMark.fromStatus(null)).isEqualTo(HighWaterMark.none());
  }

  @Test
  void unreadableStatus_isRejected_withInternalError_notReadAsNoMark() {
    TrustAnchorStatus status = new TrustAnchorStatus();
    status.setPolicyEpoch(5L);
    status.setStatementIssuedAt("yesterday");

    assertThatThrownBy(() -> HighWaterMark.fromStatus(status))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.INTERNAL_ERROR))
        .hasMessageContaining("status.statementIssuedAt");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rollback(
      VerifiedEpochStatement statement) {
    return assertThatThrownBy(() -> MARK.advance(statement))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.EPOCH_ROLLBACK));
  }

  private static VerifiedEpochStatement statement(long policy, long revocation, Instant iat)
      throws VerificationException {
    return VERIFIER.verify(
        SAB.epochStatement()
            .minPolicyEpoch(policy)
            .revocationEpoch(revocation)
            .issuedAt(iat)
            .expiresAt(NOW.plusSeconds(3600))
            .sign(),
        CLOCK);
  }

  // ---- the broker's stored form ----

  @Test
  void storedMark_roundTrips() throws Exception {
    assertThat(HighWaterMark.fromJson("sab-a", MARK.toJson("sab-a"))).isEqualTo(MARK);
    assertThat(HighWaterMark.fromJson("sab-a", HighWaterMark.none().toJson("sab-a")))
        .isEqualTo(HighWaterMark.none());
  }

  @Test
  void anotherSabsMark_isRefused_notTakenAsThisOnes() {
    assertThatThrownBy(() -> HighWaterMark.fromJson("sab-b", MARK.toJson("sab-a")))
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.INTERNAL_ERROR))
        .hasMessageContaining("sab-b");
  }

  @Test
  void damagedStoredMark_isAnError_neverALowerMark() {
    for (String damaged :
        new String[] {
          "{not json",
          "{\"sabId\":\"sab-a\"}",
          "{\"sabId\":\"sab-a\",\"policyEpoch\":\"5\",\"revocationEpoch\":7}",
          "{\"sabId\":\"sab-a\",\"policyEpoch\":-1,\"revocationEpoch\":7}",
          "{\"sabId\":\"sab-a\",\"policyEpoch\":5,\"revocationEpoch\":7,\"issuedAt\":\"yesterday\"}",
          "null"
        }) {
      assertThatThrownBy(() -> HighWaterMark.fromJson("sab-a", damaged))
          .as(damaged)
          .isInstanceOfSatisfying(
              VerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.INTERNAL_ERROR));
    }
  }
}
