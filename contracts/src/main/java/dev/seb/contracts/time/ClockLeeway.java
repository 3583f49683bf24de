package dev.seb.contracts.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How much the clocks of the SAB, the broker and the API server may disagree, applied to every
 * validity bound seb checks, always in the direction that never lets authority outlive what its
 * issuer stated (docs/decisions/0013-clock-leeway.md):
 *
 * <ul>
 *   <li>a <b>start</b> bound ({@code nbf}, {@code iat}) is accepted up to the leeway early: a
 *       certificate or statement the SAB has just signed, on a clock slightly ahead of the
 *       broker's, is not refused; it grants nothing the SAB did not already sign;
 *   <li>an <b>end</b> bound (certificate {@code exp}, epoch statement {@code exp}, mandate {@code
 *       lifecycle.notAfter}) is treated as reached the leeway early: a broker whose clock runs up
 *       to the leeway behind still never acts after the end its issuer set.
 * </ul>
 *
 * @param leeway the tolerated skew, never negative
 */
public record ClockLeeway(Duration leeway) {

  /** No skew tolerated: bounds are exact. */
  public static final ClockLeeway NONE = new ClockLeeway(Duration.ZERO);

  /** A leeway; negative durations are refused. */
  public ClockLeeway {
    Objects.requireNonNull(leeway, "leeway");
    if (leeway.isNegative()) {
      throw new IllegalArgumentException("clock leeway must not be negative: " + leeway);
    }
  }

  /** A leeway of {@code leeway}. */
  public static ClockLeeway of(Duration leeway) {
    return new ClockLeeway(leeway);
  }

  /**
   * Whether a start bound has not been reached at {@code now}: true only when {@code notBefore} is
   * more than the leeway in the future.
   */
  public boolean notYet(Instant now, Instant notBefore) {
    return now.plus(leeway).isBefore(notBefore);
  }

  /**
   * Whether an end bound (exclusive) counts as reached at {@code now}: true from {@code end} minus
   * the leeway on.
   */
  public boolean ended(Instant now, Instant end) {
    return !now.plus(leeway).isBefore(end);
  }

  /** For messages: {@code " (clock leeway PT30S)"}, or nothing when there is no leeway. */
  public String describe() {
    return leeway.isZero() ? "" : " (clock leeway " + leeway + ")";
  }
}
