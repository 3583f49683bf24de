package dev.seb.broker.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which proposal a broker holds at which step of its execution ({@code seb.broker.failpoint},
 * docs/decisions/0024-failpoints.md), decided without side effects: at the configured point only,
 * only a proposal created after this plan (made when the broker process starts), and at most once
 * per proposal uid. A broker restarted with the same configuration after being killed at a hold
 * therefore recovers the proposal it held instead of holding it again.
 */
public final class FailpointPlan {

  /** The configuration key that names the point. */
  public static final String KEY = "seb.broker.failpoint";

  /** The steps of an admitted proposal's execution a broker can hold at. */
  public enum Point {
    /** The claim is written; the decision record comes next. */
    CLAIMED,
    /** The decision record is written; the identity is minted next. */
    DECIDED,
    /** The identity is minted; the write comes next. */
    MINTED,
    /** The write returned; the identity is revoked next. */
    WRITTEN,
    /** The identity is revoked; the outcome record comes next. */
    REVOKED;

    /** The value of {@value #KEY} that names this point. */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String ALLOWED =
      Arrays.stream(Point.values()).map(Point::value).collect(Collectors.joining(", "));

  private final Point point;

  /** The longest hold: far beyond any test, and safely within what a sleep can take. */
  static final Duration MAX_HOLD = Duration.ofDays(1);

  private final Duration hold;
  private final Instant started;
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  private FailpointPlan(Point point, Duration hold, Instant started) {
    this.point = point;
    this.hold = hold;
    this.started = started;
  }

  /**
   * The plan for the configured value (empty: no failpoint, nothing is ever held), starting now.
   *
   * @throws IllegalArgumentException naming {@value #KEY} and the allowed values when the value is
   *     not exactly one of them, or the hold is not positive or longer than a day
   */
  public static FailpointPlan of(Optional<String> value, Duration hold, Clock clock) {
    if (value.isEmpty()) {
      return new FailpointPlan(null, hold, clock.instant());
    }
    Point point = parse(value.get());
    if (hold == null || hold.isNegative() || hold.isZero() || hold.compareTo(MAX_HOLD) > 0) {
      throw new IllegalArgumentException(
          KEY
              + "-hold must be a positive duration of at most a day, got "
              + hold
              + " ("
              + KEY
              + "="
              + value.get()
              + ")");
    }
    return new FailpointPlan(point, hold, clock.instant());
  }

  private static Point parse(String value) {
    for (Point p : Point.values()) {
      if (p.value().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        KEY
            + " (env SEB_BROKER_FAILPOINT) must be unset or exactly one of "
            + ALLOWED
            + "; got \""
            + value
            + "\"");
  }

  /** Whether any point is configured; when not, {@link #holds} is always false. */
  public boolean armed() {
    return point != null;
  }

  /** The configured point, if any. */
  public Optional<Point> point() {
    return Optional.ofNullable(point);
  }

  /** How long a hold lasts at most. */
  public Duration hold() {
    return hold;
  }

  /**
   * Whether the broker holds the proposal at {@code reached} now; true at most once per uid. A
   * proposal is held only when {@code reached} is the configured point and its {@code
   * creationTimestamp} is not before the start of this plan (compared at the timestamp's precision,
   * whole seconds); an absent or unreadable timestamp is never held.
   */
  public boolean holds(Point reached, String uid, String creationTimestamp) {
    if (point == null || reached != point || uid == null || creationTimestamp == null) {
      return false;
    }
    Instant created;
    try {
      created = Instant.parse(creationTimestamp);
    } catch (DateTimeParseException e) {
      return false;
    }
    if (created.isBefore(started.truncatedTo(ChronoUnit.SECONDS))) {
      return false; // older than this process: a restarted broker recovers it, never holds it
    }
    return held.add(uid);
  }
}
