package dev.seb.contracts.mandate;

import dev.seb.contracts.SebKeys;
import dev.seb.contracts.scope.MandateNarrowing;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import dev.seb.contracts.v1alpha1.OperationType;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The phase a mandate is in, as a pure function of its spec, its parent (for delegated mandates)
 * and the time. Used by the operator; the broker re-checks the phase at execution time.
 *
 * <p>Order: revocation, then the parent (a child ends when its parent ends, transitively, because
 * the parent's own phase already reflects its ancestors), then delegation validity (an invalid
 * child is Rejected and never becomes Active), then expiry.
 */
public final class MandateLifecycle {

  private MandateLifecycle() {}

  /** The evaluated phase. */
  public record Evaluation(
      Phase phase,
      String reason,
      String message,
      String cascadedFrom,
      List<String> delegationChain,
      Optional<Instant> wakeUpAt) {}

  /**
   * Evaluates a mandate.
   *
   * @param mandate the mandate
   * @param previousPhase its phase so far (null when never evaluated)
   * @param parent its parent when {@code spec.parentRef} is set and the parent exists, else null
   * @param parentChain the parent's {@code status.delegationChain} (empty for none)
   */
  public static Evaluation evaluate(
      Mandate mandate, Phase previousPhase, Mandate parent, List<String> parentChain, Clock clock) {
    MandateSpec spec = mandate.getSpec();
    String name = mandate.getMetadata().getName();
    List<String> chain = new ArrayList<>(parentChain == null ? List.of() : parentChain);
    chain.add(name);
    if (spec.revocation() != null) {
      return new Evaluation(
          Phase.Revoked,
          "Revoked",
          "revoked by " + spec.revocation().requestedBy() + ": " + spec.revocation().reason(),
          null,
          chain,
          Optional.empty());
    }
    String event =
        mandate.getMetadata().getAnnotations() == null
            ? null
            : mandate.getMetadata().getAnnotations().get(SebKeys.TERMINAL_EVENT);
    if (event != null
        && spec.lifecycle() != null
        && spec.lifecycle().terminalEvents() != null
        && spec.lifecycle().terminalEvents().contains(event)) {
      return new Evaluation(
          Phase.Completed,
          "Completed",
          "terminal event '" + event + "' reported",
          null,
          chain,
          Optional.empty());
    }
    if (previousPhase == Phase.Rejected) {
      return new Evaluation(
          Phase.Rejected,
          "InvalidDelegation",
          "rejected earlier; create a new mandate",
          null,
          chain,
          Optional.empty());
    }
    if (spec.parentRef() != null) {
      boolean wasActive = previousPhase == Phase.Active;
      if (parent == null || parent.getSpec() == null) {
        return wasActive
            ? new Evaluation(
                Phase.Revoked,
                "ParentEnded",
                "parent mandate " + spec.parentRef() + " no longer exists",
                spec.parentRef(),
                chain,
                Optional.empty())
            : rejected(
                "spec.parentRef: parent mandate " + spec.parentRef() + " does not exist", chain);
      }
      Phase parentPhase = parent.getStatus() == null ? null : parent.getStatus().getPhase();
      if (parentPhase != Phase.Active) {
        if (parentPhase == null) {
          return new Evaluation(
              previousPhase == null ? Phase.Suspended : previousPhase,
              "ParentPending",
              "parent mandate " + spec.parentRef() + " is not evaluated yet",
              null,
              chain,
              Optional.empty());
        }
        return wasActive || parentPhase != Phase.Rejected
            ? new Evaluation(
                Phase.Revoked,
                "ParentEnded",
                "parent mandate " + spec.parentRef() + " is " + parentPhase,
                spec.parentRef(),
                chain,
                Optional.empty())
            : rejected(
                "spec.parentRef: parent mandate " + spec.parentRef() + " is " + parentPhase, chain);
      }
      Optional<String> invalid = delegationProblem(spec, parent.getSpec());
      if (invalid.isPresent()) {
        return rejected(invalid.get(), chain);
      }
    }
    Instant notAfter;
    try {
      notAfter = Instant.parse(spec.lifecycle().notAfter());
    } catch (DateTimeParseException | NullPointerException e) {
      return rejected("spec.lifecycle.notAfter is not an RFC 3339 instant", chain);
    }
    if (!clock.instant().isBefore(notAfter)) {
      boolean suspend = spec.lifecycle().onExpiry() == MandateSpec.OnExpiry.SUSPEND;
      return new Evaluation(
          suspend ? Phase.Suspended : Phase.Expired,
          "Expired",
          "spec.lifecycle.notAfter " + notAfter + " has passed",
          null,
          chain,
          Optional.empty());
    }
    return new Evaluation(
        Phase.Active, "Active", "in force until " + notAfter, null, chain, Optional.of(notAfter));
  }

  private static Evaluation rejected(String message, List<String> chain) {
    return new Evaluation(
        Phase.Rejected, "InvalidDelegation", message, null, chain, Optional.empty());
  }

  /** Why a child may not be delegated from its parent, if it may not. */
  static Optional<String> delegationProblem(MandateSpec child, MandateSpec parent) {
    if (parent.delegation() == null || !Boolean.TRUE.equals(parent.delegation().permitted())) {
      return Optional.of("spec.parentRef: the parent mandate does not permit delegation");
    }
    int parentHops =
        parent.delegation().maxAdditionalHops() == null
            ? 0
            : parent.delegation().maxAdditionalHops();
    if (parentHops < 1) {
      return Optional.of(
          "spec.parentRef: the parent mandate allows no further delegation hops (maxAdditionalHops "
              + parentHops
              + ")");
    }
    if (child.delegation() != null && Boolean.TRUE.equals(child.delegation().permitted())) {
      int childHops =
          child.delegation().maxAdditionalHops() == null
              ? 0
              : child.delegation().maxAdditionalHops();
      if (childHops > parentHops - 1) {
        return Optional.of(
            "spec.delegation.maxAdditionalHops "
                + childHops
                + " exceeds the "
                + (parentHops - 1)
                + " hops the parent leaves");
      }
    }
    try {
      Instant childEnd = Instant.parse(child.lifecycle().notAfter());
      Instant parentEnd = Instant.parse(parent.lifecycle().notAfter());
      if (childEnd.isAfter(parentEnd)) {
        return Optional.of(
            "spec.lifecycle.notAfter " + childEnd + " is later than the parent's " + parentEnd);
      }
    } catch (DateTimeParseException | NullPointerException e) {
      return Optional.of(
          "spec.lifecycle.notAfter of the child or the parent is not an RFC 3339 instant");
    }
    for (MandateSpec.Scope scope : child.scope()) {
      Optional<MandateSpec.Scope> granted =
          parent.scope().stream()
              .filter(p -> Objects.equals(p.contractRef(), scope.contractRef()))
              .findFirst();
      if (granted.isEmpty()) {
        return Optional.of(
            "spec.scope["
                + scope.contractRef()
                + "]: the parent mandate has no scope for this contract");
      }
      List<OperationType> parentOps = granted.get().operations();
      List<OperationType> childOps = scope.operations();
      if (parentOps != null && !parentOps.isEmpty()) {
        if (childOps == null || childOps.isEmpty() || !parentOps.containsAll(childOps)) {
          return Optional.of(
              "spec.scope["
                  + scope.contractRef()
                  + "].operations "
                  + childOps
                  + " are not within the parent's "
                  + parentOps);
        }
      }
      Optional<String> wider =
          MandateNarrowing.widening(scope.constraints(), granted.get().constraints());
      if (wider.isPresent()) {
        return Optional.of(
            "spec.scope["
                + scope.contractRef()
                + "].constraints: "
                + wider.get()
                + " (parent's scope)");
      }
    }
    return Optional.empty();
  }
}
