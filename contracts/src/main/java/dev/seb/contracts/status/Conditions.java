package dev.seb.contracts.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Standard Kubernetes conditions, the way seb's reconcilers keep them: one per type, {@code
 * lastTransitionTime} changed only when the status flips, {@code observedGeneration} always the
 * generation the reconciler looked at.
 */
public final class Conditions {

  private Conditions() {}

  /**
   * The conditions with {@code type} set to the given values; other types are kept as they are.
   * Returns a new list; the input is not modified.
   */
  public static List<Condition> set(
      List<Condition> current,
      String type,
      boolean status,
      String reason,
      String message,
      Long observedGeneration,
      Clock clock) {
    List<Condition> next = new ArrayList<>();
    String statusText = status ? "True" : "False";
    String transition =
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    Optional<Condition> previous = find(current, type);
    if (previous.isPresent() && statusText.equals(previous.get().getStatus())) {
      transition = previous.get().getLastTransitionTime();
    }
    if (current != null) {
      current.stream().filter(c -> !type.equals(c.getType())).forEach(next::add);
    }
    next.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build());
    return next;
  }

  /** The longest message a reconcile error puts on a condition; the rest is cut. */
  public static final int MAX_ERROR_MESSAGE = 1024;

  /**
   * The conditions after a reconcile failed with an unexpected error: {@code Ready=False} with
   * reason {@code ReconcileError} and the message (cut to {@link #MAX_ERROR_MESSAGE} characters);
   * every other condition is kept as the last successful reconcile left it. The caller changes
   * nothing else on the status: in particular {@code status.observedGeneration} stays at the
   * generation last evaluated, so what the status says is never passed off as an evaluation of a
   * spec nobody evaluated.
   */
  public static List<Condition> reconcileError(
      List<Condition> current, String message, Long observedGeneration, Clock clock) {
    String text = message == null || message.isBlank() ? "reconcile failed" : message;
    if (text.length() > MAX_ERROR_MESSAGE) {
      text = text.substring(0, MAX_ERROR_MESSAGE - 3) + "...";
    }
    return set(
        current,
        SebConditions.READY,
        false,
        SebConditions.RECONCILE_ERROR,
        text,
        observedGeneration,
        clock);
  }

  /** The condition of a type, if present. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
  }

  /** Whether the condition of a type is present and True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
