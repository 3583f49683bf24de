package dev.seb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventReasonTest {

  @Test
  void reasonsAreDistinctUpperCamelCaseAndFitTheApiServersLimits() {
    Set<String> reasons =
        Arrays.stream(EventReason.values()).map(EventReason::reason).collect(Collectors.toSet());
    assertThat(reasons).hasSize(EventReason.values().length);
    for (EventReason r : EventReason.values()) {
      assertThat(r.reason()).as(r.name()).matches("[A-Z][A-Za-z]+").hasSizeLessThanOrEqualTo(128);
      assertThat(r.action()).as(r.name()).matches("[A-Z][A-Za-z]+").hasSizeLessThanOrEqualTo(128);
      assertThat(r.type()).as(r.name()).isNotNull();
    }
  }

  @Test
  void theReasonIsTheConstantInUpperCamelCase() {
    for (EventReason r : EventReason.values()) {
      String camel =
          Arrays.stream(r.name().split("_"))
              .map(w -> w.charAt(0) + w.substring(1).toLowerCase())
              .collect(Collectors.joining());
      assertThat(r.reason()).isEqualTo(camel);
    }
  }

  @Test
  void refusalsAndLostAuthorityAreWarnings() {
    assertThat(EventReason.PROPOSAL_DENIED.type()).isEqualTo(EventType.WARNING);
    assertThat(EventReason.EPOCH_ROLLBACK_REFUSED.type()).isEqualTo(EventType.WARNING);
    assertThat(EventReason.BREAK_GLASS.type()).isEqualTo(EventType.WARNING);
    assertThat(EventReason.UNPROTECTED.type()).isEqualTo(EventType.WARNING);
    assertThat(EventReason.REVOCATION_FAILED.type()).isEqualTo(EventType.WARNING);
    assertThat(EventReason.PROPOSAL_EXECUTED.type()).isEqualTo(EventType.NORMAL);
    assertThat(EventType.WARNING.value()).isEqualTo("Warning");
    assertThat(EventType.NORMAL.value()).isEqualTo("Normal");
  }

  @Test
  void everyMandatePhaseHasItsReason() {
    for (Phase phase : Phase.values()) {
      assertThat(EventReason.forMandatePhase(phase).reason()).isEqualTo("Mandate" + phase.name());
    }
    assertThat(EventReason.forMandatePhase(Phase.Active).type()).isEqualTo(EventType.NORMAL);
    assertThat(EventReason.forMandatePhase(Phase.Revoked).type()).isEqualTo(EventType.WARNING);
    assertThat(EventReason.forMandatePhase(Phase.Expired).type()).isEqualTo(EventType.WARNING);
  }

  @Test
  void reportersAreQualifiedNamesUnderSebDev() {
    for (Reporter r : Reporter.values()) {
      assertThat(r.controller()).matches("seb\\.dev/[a-z]+");
    }
    assertThat(Reporter.WEBHOOK.controller()).isEqualTo("seb.dev/webhook");
  }
}
