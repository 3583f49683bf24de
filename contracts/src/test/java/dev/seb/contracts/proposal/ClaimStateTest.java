package dev.seb.contracts.proposal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.v1alpha1.MutationProposalStatus.Claim;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClaimStateTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void noClaim_isFree() {
    assertThat(ClaimState.of(null, "broker-0", "p1", NOW)).isInstanceOf(ClaimState.Free.class);
  }

  @Test
  void thisProcessesClaim_isOurs_evenWhenLapsed() {
    Claim claim = new Claim("broker-0", "p1", "2026-12-07T09:00:00Z");
    assertThat(ClaimState.of(claim, "broker-0", "p1", NOW)).isInstanceOf(ClaimState.Ours.class);
  }

  @Test
  void theSameInstanceRestarted_isAnotherProcess() {
    Claim claim = new Claim("broker-0", "p0", "2026-12-07T10:01:00Z");
    assertThat(ClaimState.of(claim, "broker-0", "p1", NOW))
        .isEqualTo(new ClaimState.Held(claim, Instant.parse("2026-12-07T10:01:00Z")));
  }

  @Test
  void anotherBrokersClaim_holdsUntilItsExpiry_thenLapses() {
    Claim claim = new Claim("broker-1", "p9", "2026-12-07T10:00:00Z");
    assertThat(ClaimState.of(claim, "broker-0", "p1", NOW.minusMillis(1)))
        .isInstanceOf(ClaimState.Held.class);
    assertThat(ClaimState.of(claim, "broker-0", "p1", NOW)).isInstanceOf(ClaimState.Lapsed.class);
  }

  @Test
  void anUnreadableExpiry_countsAsLapsed() {
    for (String expiry : new String[] {null, "", "tomorrow", "2026-13-01T00:00:00Z"}) {
      Claim claim = new Claim("broker-1", "p9", expiry);
      assertThat(ClaimState.of(claim, "broker-0", "p1", NOW))
          .as(String.valueOf(expiry))
          .isInstanceOf(ClaimState.Lapsed.class);
    }
  }
}
