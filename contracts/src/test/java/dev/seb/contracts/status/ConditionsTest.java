package dev.seb.contracts.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  @Test
  void sameStatus_keepsTheTransitionTime_butTakesTheNewReasonAndGeneration() {
    List<Condition> first =
        Conditions.set(List.of(), "Ready", true, "Verified", "ok", 1L, at("2030-01-01T00:00:00Z"));
    List<Condition> second =
        Conditions.set(
            first, "Ready", true, "Verified", "still ok", 2L, at("2030-01-01T01:00:00Z"));
    Condition ready = Conditions.find(second, "Ready").orElseThrow();
    assertThat(ready.getLastTransitionTime()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(ready.getObservedGeneration()).isEqualTo(2L);
    assertThat(ready.getMessage()).isEqualTo("still ok");
  }

  @Test
  void flippedStatus_movesTheTransitionTime_andKeepsOtherTypes() {
    List<Condition> first =
        Conditions.set(List.of(), "Ready", true, "Verified", "ok", 1L, at("2030-01-01T00:00:00Z"));
    first = Conditions.set(first, "Other", true, "X", "x", 1L, at("2030-01-01T00:00:00Z"));
    List<Condition> flipped =
        Conditions.set(
            first,
            "Ready",
            false,
            "EPOCH_STATEMENT_STALE",
            "expired",
            1L,
            at("2030-01-01T02:00:00Z"));
    assertThat(Conditions.find(flipped, "Ready").orElseThrow().getLastTransitionTime())
        .isEqualTo("2030-01-01T02:00:00Z");
    assertThat(Conditions.isTrue(flipped, "Ready")).isFalse();
    assertThat(Conditions.isTrue(flipped, "Other")).isTrue();
    assertThat(flipped).hasSize(2);
  }

  @Test
  void reconcileError_setsReadyFalse_keepsTheOtherConditions_andFlipsTheTransitionTime() {
    List<Condition> before =
        Conditions.set(
            Conditions.set(
                List.of(), "Active", true, "Active", "in force", 1L, at("2030-01-01T00:00:00Z")),
            "Ready",
            true,
            "Active",
            "in force",
            1L,
            at("2030-01-01T00:00:00Z"));

    List<Condition> after =
        Conditions.reconcileError(
            before, "NullPointerException: spec", 2L, at("2030-01-01T00:05:00Z"));

    Condition ready = Conditions.find(after, SebConditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ReconcileError");
    assertThat(ready.getMessage()).isEqualTo("NullPointerException: spec");
    assertThat(ready.getObservedGeneration()).isEqualTo(2L);
    assertThat(ready.getLastTransitionTime()).isEqualTo("2030-01-01T00:05:00Z");
    // the last evaluation stays as it was: a reconcile error changes nothing else
    assertThat(Conditions.find(after, "Active").orElseThrow())
        .isEqualTo(Conditions.find(before, "Active").orElseThrow());
  }

  @Test
  void reconcileError_cutsLongMessages_andNeverLeavesTheMessageEmpty() {
    List<Condition> longOne =
        Conditions.reconcileError(List.of(), "x".repeat(5000), 1L, at("2030-01-01T00:00:00Z"));
    String message = Conditions.find(longOne, "Ready").orElseThrow().getMessage();
    assertThat(message).hasSize(Conditions.MAX_ERROR_MESSAGE).endsWith("...");

    List<Condition> empty = Conditions.reconcileError(null, " ", 1L, at("2030-01-01T00:00:00Z"));
    assertThat(Conditions.find(empty, "Ready").orElseThrow().getMessage())
        .isEqualTo("reconcile failed");
  }
}
