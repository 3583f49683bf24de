package dev.seb.contracts.scope;

import static dev.seb.contracts.ReasonCode.SCOPE_VIOLATION;

import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.ContractOperation;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.OperationConstraints;
import dev.seb.contracts.v1alpha1.OperationType;
import java.util.List;

/** A mandate's scope may only narrow the contract it names, never widen it. */
public final class MandateNarrowing {

  private MandateNarrowing() {}

  /** Throws SCOPE_VIOLATION naming the widening constraint. */
  public static void verify(MandateSpec.Scope scope, ExecutionContractSpec contract)
      throws VerificationException {
    String field = "Mandate spec.scope[" + scope.contractRef() + "]";
    List<ContractOperation> operations =
        contract.operations() == null ? List.of() : contract.operations();
    if (scope.operations() != null) {
      for (OperationType type : scope.operations()) {
        if (operations.stream().noneMatch(o -> o.type() == type)) {
          throw new VerificationException(
              SCOPE_VIOLATION,
              field + ".operations grants " + type + ", which the contract does not allow");
        }
      }
    }
    OperationConstraints narrower = scope.constraints();
    if (narrower == null) {
      return;
    }
    // Several scale operations allow the union of their ranges, so the bounds are the lowest
    // minimum and the highest maximum; an operation without a bound leaves that side open.
    List<OperationConstraints> scales =
        operations.stream()
            .filter(o -> o.type() == OperationType.SCALE)
            .map(ContractOperation::constraints)
            .toList();
    if (!scales.isEmpty()) {
      Integer lowest =
          scales.stream().anyMatch(c -> c == null || c.minReplicas() == null)
              ? null
              : scales.stream().mapToInt(OperationConstraints::minReplicas).min().getAsInt();
      Integer highest =
          scales.stream().anyMatch(c -> c == null || c.maxReplicas() == null)
              ? null
              : scales.stream().mapToInt(OperationConstraints::maxReplicas).max().getAsInt();
      if (lowest != null && narrower.minReplicas() != null && narrower.minReplicas() < lowest) {
        throw new VerificationException(
            SCOPE_VIOLATION,
            field
                + ".constraints.minReplicas "
                + narrower.minReplicas()
                + " is below the contract's "
                + lowest);
      }
      if (highest != null && narrower.maxReplicas() != null && narrower.maxReplicas() > highest) {
        throw new VerificationException(
            SCOPE_VIOLATION,
            field
                + ".constraints.maxReplicas "
                + narrower.maxReplicas()
                + " is above the contract's "
                + highest);
      }
    }
    if (narrower.allowedPaths() != null) {
      // the mandate's allowedPaths limit both what a patch may touch and where a created object
      // may differ from its manifest, so they must stay inside the contract's for one of the two
      List<PathPattern> contractPatterns =
          operations.stream()
              .filter(
                  o ->
                      (o.type() == OperationType.PATCH || o.type() == OperationType.CREATE)
                          && o.constraints() != null
                          && o.constraints().allowedPaths() != null)
              .flatMap(o -> o.constraints().allowedPaths().stream())
              .map(MandateNarrowing::parseOrNull)
              .filter(p -> p != null)
              .toList();
      for (String text : narrower.allowedPaths()) {
        PathPattern pattern;
        try {
          pattern = PathPattern.parse(text);
        } catch (IllegalArgumentException e) {
          throw new VerificationException(
              SCOPE_VIOLATION, field + ".constraints.allowedPaths: " + e.getMessage(), e);
        }
        if (contractPatterns.stream().noneMatch(pattern::coveredBy)) {
          throw new VerificationException(
              SCOPE_VIOLATION,
              field
                  + ".constraints.allowedPaths "
                  + text
                  + " is wider than the contract's allowedPaths");
        }
      }
    }
  }

  private static PathPattern parseOrNull(String text) {
    try {
      return PathPattern.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * How {@code narrower} would widen {@code wider}, if it would: a lower minReplicas, a higher
   * maxReplicas, an allowedPaths pattern the wider ones do not cover, or no constraints at all
   * where the wider side has some (which would inherit something wider).
   */
  public static java.util.Optional<String> widening(
      OperationConstraints narrower, OperationConstraints wider) {
    if (wider == null) {
      return java.util.Optional.empty();
    }
    if (narrower == null) {
      return java.util.Optional.of("no constraints, where the wider scope has some");
    }
    if (wider.minReplicas() != null
        && (narrower.minReplicas() == null || narrower.minReplicas() < wider.minReplicas())) {
      return java.util.Optional.of(
          "minReplicas " + narrower.minReplicas() + " is below " + wider.minReplicas());
    }
    if (wider.maxReplicas() != null
        && (narrower.maxReplicas() == null || narrower.maxReplicas() > wider.maxReplicas())) {
      return java.util.Optional.of(
          "maxReplicas " + narrower.maxReplicas() + " is above " + wider.maxReplicas());
    }
    if (wider.allowedPaths() != null) {
      if (narrower.allowedPaths() == null) {
        return java.util.Optional.of("no allowedPaths, where the wider scope limits them");
      }
      List<PathPattern> widerPatterns =
          wider.allowedPaths().stream()
              .map(MandateNarrowing::parseOrNull)
              .filter(p -> p != null)
              .toList();
      for (String text : narrower.allowedPaths()) {
        PathPattern pattern = parseOrNull(text);
        if (pattern == null || widerPatterns.stream().noneMatch(pattern::coveredBy)) {
          return java.util.Optional.of(
              "allowedPaths " + text + " is not covered by " + wider.allowedPaths());
        }
      }
    }
    return java.util.Optional.empty();
  }
}
