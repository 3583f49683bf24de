package dev.seb.broker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.broker.execution.FailpointPlan.Point;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FailpointPlanTest {

  private static final Instant STARTED = Instant.parse("2026-12-07T10:00:00.400Z");
  private static final Clock CLOCK = Clock.fixed(STARTED, ZoneOffset.UTC);
  private static final Duration HOLD = Duration.ofMinutes(10);
  private static final String AFTER_START = "2026-12-07T10:00:05Z";

  private static FailpointPlan plan(String value) {
    return FailpointPlan.of(Optional.of(value), HOLD, CLOCK);
  }

  @Test
  void unset_holdsNothing_atAnyPoint() {
    FailpointPlan plan = FailpointPlan.of(Optional.empty(), HOLD, CLOCK);
    assertThat(plan.armed()).isFalse();
    for (Point p : Point.values()) {
      assertThat(plan.holds(p, "uid-1", AFTER_START)).as(p.value()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(Point.class)
  void eachPoint_holdsANewProposal_thereAndNowhereElse(Point configured) {
    FailpointPlan plan = plan(configured.value());
    assertThat(plan.point()).contains(configured);
    for (Point other : Point.values()) {
      if (other != configured) {
        assertThat(plan.holds(other, "uid-1", AFTER_START)).as(other.value()).isFalse();
      }
    }
    assertThat(plan.holds(configured, "uid-1", AFTER_START)).isTrue();
  }

  @Test
  void theValues_areTheFiveStepsInLowerCase() {
    assertThat(Point.values())
        .extracting(Point::value)
        .containsExactly("claimed", "decided", "minted", "written", "revoked");
  }

  @Test
  void aProposalCreatedBeforeTheStart_isNeverHeld_soARestartedBrokerRecoversIt() {
    FailpointPlan plan = plan("decided");
    assertThat(plan.holds(Point.DECIDED, "old", "2026-12-07T09:59:59Z")).isFalse();
    assertThat(plan.holds(Point.DECIDED, "much-older", "2026-01-01T00:00:00Z")).isFalse();
  }

  @Test
  void aProposalCreatedInTheStartSecond_isHeld_atTheTimestampsPrecision() {
    // creationTimestamp has whole seconds: 10:00:00 may be 10:00:00.9, after the start at .4
    assertThat(plan("decided").holds(Point.DECIDED, "same-second", "2026-12-07T10:00:00Z"))
        .isTrue();
  }

  @Test
  void theSameUid_isHeldOnce_anotherUidStillIs() {
    FailpointPlan plan = plan("minted");
    assertThat(plan.holds(Point.MINTED, "uid-1", AFTER_START)).isTrue();
    assertThat(plan.holds(Point.MINTED, "uid-1", AFTER_START)).isFalse();
    assertThat(plan.holds(Point.MINTED, "uid-2", AFTER_START)).isTrue();
  }

  @Test
  void anAbsentOrUnreadableCreationTimestamp_orUid_isNeverHeld() {
    FailpointPlan plan = plan("written");
    assertThat(plan.holds(Point.WRITTEN, "uid-1", null)).isFalse();
    assertThat(plan.holds(Point.WRITTEN, "uid-1", "yesterday")).isFalse();
    assertThat(plan.holds(Point.WRITTEN, null, AFTER_START)).isFalse();
    // and those did not use up the uid's one hold
    assertThat(plan.holds(Point.WRITTEN, "uid-1", AFTER_START)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DECIDED",
        "Decided",
        " decided",
        "decided ",
        "decide",
        "all",
        "claimed,minted",
        ""
      })
  void anyOtherValue_isRefused_namingTheKeyAndTheAllowedValues(String value) {
    assertThatThrownBy(() -> plan(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seb.broker.failpoint")
        .hasMessageContaining("claimed, decided, minted, written, revoked")
        .hasMessageContaining("\"" + value + "\"");
  }

  @Test
  void aHoldThatIsNotPositive_isRefused() {
    assertThatThrownBy(() -> FailpointPlan.of(Optional.of("revoked"), Duration.ZERO, CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seb.broker.failpoint-hold");
    assertThatThrownBy(
            () -> FailpointPlan.of(Optional.of("revoked"), Duration.ofSeconds(-1), CLOCK))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aHoldLongerThanADay_isRefused_itWouldOverflowTheSleep() {
    assertThatThrownBy(
            () -> FailpointPlan.of(Optional.of("minted"), Duration.ofDays(1).plusSeconds(1), CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most a day");
    assertThatThrownBy(
            () ->
                FailpointPlan.of(Optional.of("minted"), Duration.ofSeconds(Long.MAX_VALUE), CLOCK))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FailpointPlan.of(Optional.of("minted"), Duration.ofDays(1), CLOCK).hold())
        .isEqualTo(Duration.ofDays(1));
  }
}
