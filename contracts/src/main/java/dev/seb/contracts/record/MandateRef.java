package dev.seb.contracts.record;

import java.util.Objects;

/**
 * The mandate the decision relied on: claim {@code mandate}.
 *
 * @param ref {@code namespace/name} of the {@code Mandate}
 * @param version the mandate's {@code status.version} when it was read; null if it was not found
 */
public record MandateRef(String ref, Long version) {

  /** Checks that the ref is present and the version, if known, is not negative. */
  public MandateRef {
    Objects.requireNonNull(ref, "mandate.ref");
    if (version != null && version < 0) {
      throw new IllegalArgumentException("mandate.version must not be negative: " + version);
    }
  }
}
