package dev.seb.contracts.mandate;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.time.ClockLeeway;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a mandate is in force right now, decided by the broker from the stored specs of the
 * mandate and of every ancestor on its {@code spec.parentRef} chain, never from the operator's word
 * alone (ARCHITECTURE §3 "Mandate", pipeline step 3).
 *
 * <p>Each mandate of the lineage, the mandate itself first, must be: not revoked ({@code
 * spec.revocation} unset), without a reported terminal event it lists, before its {@code
 * lifecycle.notAfter} (reached the clock leeway early), and validly delegated from its parent
 * ({@link MandateLifecycle#delegationProblem}: delegation permitted, hops left, not longer-lived,
 * scope within). A parent that is not among the ancestors read is {@link
 * ReasonCode#MANDATE_MISSING}; a cycle, or a chain longer than {@link #MAX_DEPTH}, is {@link
 * ReasonCode#MANDATE_INACTIVE}.
 *
 * <p>The operator's {@code status} can only make this stricter: every mandate of the lineage must
 * also carry {@code status.phase: Active} for its current generation, so a mandate the operator has
 * Rejected, Suspended, Revoked, Expired or Completed, or not looked at yet, stays denied. A status
 * set to Active by hand lifts nothing the specs deny.
 */
public final class MandateAuthority {

  /**
   * The longest delegation chain the broker reads: each hop already lowers {@code
   * maxAdditionalHops} by one, this bounds the reads when a chain is forged.
   */
  public static final int MAX_DEPTH = 16;

  private MandateAuthority() {}

  /**
   * Returns normally only if the mandate and every ancestor are in force.
   *
   * @param mandate the mandate the proposal names
   * @param ancestors the mandates of the same namespace read along {@code spec.parentRef}, by name
   *     (a missing entry is a missing ancestor)
   * @param clock now
   * @param leeway tolerated clock skew, applied to {@code lifecycle.notAfter} so it ends early
   */
  public static void verify(
      Mandate mandate, Map<String, Mandate> ancestors, Clock clock, ClockLeeway leeway)
      throws VerificationException {
    Objects.requireNonNull(mandate, "mandate");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(leeway, "leeway");
    Map<String, Mandate> read = ancestors == null ? Map.of() : ancestors;
    String name = nameOf(mandate);
    verifyOwn(mandate, "Mandate " + name, clock, leeway);
    List<String> lineage = new ArrayList<>(List.of(name));
    Mandate child = mandate;
    while (child.getSpec().parentRef() != null) {
      String parentName = child.getSpec().parentRef();
      String childName = lineage.get(lineage.size() - 1);
      if (lineage.contains(parentName)) {
        throw new VerificationException(
            ReasonCode.MANDATE_INACTIVE,
            "Mandate "
                + name
                + ": its delegation chain "
                + String.join(" -> ", lineage)
                + " -> "
                + parentName
                + " is a cycle (spec.parentRef of "
                + childName
                + ")");
      }
      if (lineage.size() > MAX_DEPTH) {
        throw new VerificationException(
            ReasonCode.MANDATE_INACTIVE,
            "Mandate "
                + name
                + ": its delegation chain is longer than "
                + MAX_DEPTH
                + " mandates ("
                + String.join(" -> ", lineage)
                + " -> ...)");
      }
      Mandate parent = read.get(parentName);
      if (parent == null || parent.getSpec() == null) {
        throw new VerificationException(
            ReasonCode.MANDATE_MISSING,
            "Mandate "
                + name
                + ": ancestor Mandate "
                + parentName
                + " (spec.parentRef of "
                + childName
                + ") does not exist");
      }
      String role = "Mandate " + name + ": ancestor Mandate " + parentName;
      Optional<String> invalid =
          MandateLifecycle.delegationProblem(child.getSpec(), parent.getSpec());
      if (invalid.isPresent()) {
        throw new VerificationException(
            ReasonCode.MANDATE_INACTIVE,
            "Mandate "
                + name
                + ": "
                + childName
                + " is not validly delegated from ancestor Mandate "
                + parentName
                + ": "
                + invalid.get());
      }
      verifyOwn(parent, role, clock, leeway);
      lineage.add(parentName);
      child = parent;
    }
  }

  /** One mandate of the lineage on its own: spec first, then the operator's status. */
  private static void verifyOwn(Mandate mandate, String role, Clock clock, ClockLeeway leeway)
      throws VerificationException {
    MandateSpec spec = mandate.getSpec();
    if (spec.revocation() != null) {
      throw inactive(
          role
              + " spec.revocation is set by "
              + spec.revocation().requestedBy()
              + (spec.revocation().reason() == null ? "" : ": " + spec.revocation().reason()));
    }
    String event =
        mandate.getMetadata() == null || mandate.getMetadata().getAnnotations() == null
            ? null
            : mandate.getMetadata().getAnnotations().get(SebKeys.TERMINAL_EVENT);
    if (event != null
        && spec.lifecycle() != null
        && spec.lifecycle().terminalEvents() != null
        && spec.lifecycle().terminalEvents().contains(event)) {
      throw inactive(
          role
              + " has ended: terminal event '"
              + event
              + "' (spec.lifecycle.terminalEvents) was reported in metadata.annotations["
              + SebKeys.TERMINAL_EVENT
              + "]");
    }
    String notAfter = spec.lifecycle() == null ? null : spec.lifecycle().notAfter();
    Instant end;
    try {
      end = Instant.parse(notAfter);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new VerificationException(
          ReasonCode.MANDATE_INACTIVE,
          role + " spec.lifecycle.notAfter '" + notAfter + "' is not an RFC 3339 instant",
          e);
    }
    Instant now = clock.instant();
    if (leeway.ended(now, end)) {
      throw inactive(
          role
              + " spec.lifecycle.notAfter "
              + notAfter
              + " has passed (now "
              + now
              + ")"
              + leeway.describe());
    }
    MandateStatus status = mandate.getStatus();
    if (status == null || status.getPhase() == null) {
      throw inactive(role + " has no status.phase yet: not accepted by the operator");
    }
    if (status.getPhase() != MandateStatus.Phase.Active) {
      throw inactive(role + " status.phase is " + status.getPhase());
    }
    Long generation = mandate.getMetadata() == null ? null : mandate.getMetadata().getGeneration();
    if (generation != null && !generation.equals(status.getObservedGeneration())) {
      // the phase was computed for another spec: wait for the operator to look at this one
      throw inactive(
          role
              + " status.phase Active is for generation "
              + status.getObservedGeneration()
              + ", but the spec is at generation "
              + generation
              + ": not yet accepted by the operator");
    }
  }

  private static VerificationException inactive(String message) {
    return new VerificationException(ReasonCode.MANDATE_INACTIVE, message);
  }

  private static String nameOf(Mandate mandate) {
    return mandate.getMetadata() == null ? "?" : mandate.getMetadata().getName();
  }
}
