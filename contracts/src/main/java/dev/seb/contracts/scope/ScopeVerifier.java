package dev.seb.contracts.scope;

import static dev.seb.contracts.ReasonCode.MALFORMED_PROPOSAL;
import static dev.seb.contracts.ReasonCode.SCOPE_VIOLATION;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.ContractOperation;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MutationProposalSpec.Operation;
import dev.seb.contracts.v1alpha1.MutationProposalSpec.PatchType;
import dev.seb.contracts.v1alpha1.OperationConstraints;
import dev.seb.contracts.v1alpha1.OperationType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Is the proposed operation inside the contract and inside the mandate's scope for that contract?
 * Both must allow it: the operation type, the replica range for scale, every path a patch touches,
 * and for create the certified manifest ({@link CertifiedCreate}).
 */
public final class ScopeVerifier {

  private static final Set<String> WRITING_OPS = Set.of("add", "remove", "replace", "move", "copy");

  private ScopeVerifier() {}

  /**
   * Throws SCOPE_VIOLATION naming what is outside, or MALFORMED_PROPOSAL for an unreadable patch.
   */
  public static void verify(
      Operation operation, ExecutionContractSpec contract, MandateSpec.Scope scope)
      throws VerificationException {
    OperationType type = operation.type();
    List<ContractOperation> allowed =
        contract.operations() == null
            ? List.of()
            : contract.operations().stream().filter(o -> o.type() == type).toList();
    if (allowed.isEmpty()) {
      throw new VerificationException(
          SCOPE_VIOLATION,
          "spec.operation.type " + name(type) + " is not an operation of the contract");
    }
    if (scope.operations() != null
        && !scope.operations().isEmpty()
        && !scope.operations().contains(type)) {
      throw new VerificationException(
          SCOPE_VIOLATION,
          "spec.operation.type "
              + name(type)
              + " is not granted by the mandate's scope for contract "
              + scope.contractRef());
    }
    switch (type) {
      case SCALE -> verifyReplicas(operation, allowed, scope.constraints());
      case PATCH -> verifyPaths(touchedPaths(operation), allowed, scope.constraints());
      case AWS_CALL -> verifyAction(operation, contract);
      case CREATE ->
          CertifiedCreate.verify(operation.object(), contract, allowed, scope.constraints());
      case DELETE -> {
        // the type and the contract's single target are the whole scope
      }
    }
  }

  private static void verifyReplicas(
      Operation operation, List<ContractOperation> allowed, OperationConstraints mandate)
      throws VerificationException {
    Integer replicas = operation.replicas();
    if (replicas == null || replicas < 0) {
      throw new VerificationException(
          MALFORMED_PROPOSAL, "spec.operation.replicas is missing or negative");
    }
    boolean inContract = allowed.stream().anyMatch(o -> inRange(replicas, o.constraints()));
    if (!inContract) {
      throw new VerificationException(
          SCOPE_VIOLATION,
          "spec.operation.replicas "
              + replicas
              + " is outside the contract's "
              + range(allowed.get(0).constraints()));
    }
    if (!inRange(replicas, mandate)) {
      throw new VerificationException(
          SCOPE_VIOLATION,
          "spec.operation.replicas " + replicas + " is outside the mandate's " + range(mandate));
    }
  }

  private static boolean inRange(int replicas, OperationConstraints c) {
    return c == null
        || ((c.minReplicas() == null || replicas >= c.minReplicas())
            && (c.maxReplicas() == null || replicas <= c.maxReplicas()));
  }

  private static String range(OperationConstraints c) {
    return c == null
        ? "range (none)"
        : "range ["
            + (c.minReplicas() == null ? "0" : c.minReplicas())
            + ", "
            + (c.maxReplicas() == null ? "any" : c.maxReplicas())
            + "]";
  }

  private static void verifyPaths(
      List<String> paths, List<ContractOperation> allowed, OperationConstraints mandate)
      throws VerificationException {
    for (String path : paths) {
      List<String> segments = PathPattern.split(path);
      boolean inContract =
          allowed.stream()
              .anyMatch(
                  o ->
                      o.constraints() != null
                          && matchesAny(o.constraints().allowedPaths(), segments));
      if (!inContract) {
        throw new VerificationException(
            SCOPE_VIOLATION,
            "spec.operation.patch touches "
                + display(path)
                + ", which the contract's allowedPaths do not allow");
      }
      if (mandate != null
          && mandate.allowedPaths() != null
          && !matchesAny(mandate.allowedPaths(), segments)) {
        throw new VerificationException(
            SCOPE_VIOLATION,
            "spec.operation.patch touches "
                + display(path)
                + ", which the mandate's allowedPaths do not allow");
      }
    }
  }

  private static boolean matchesAny(List<String> patterns, List<String> path) {
    if (patterns == null) {
      return false;
    }
    for (String pattern : patterns) {
      try {
        if (PathPattern.parse(pattern).matches(path)) {
          return true;
        }
      } catch (IllegalArgumentException e) {
        // a malformed pattern allows nothing
      }
    }
    return false;
  }

  private static void verifyAction(Operation operation, ExecutionContractSpec contract)
      throws VerificationException {
    if (contract.target() == null || contract.target().aws() == null) {
      throw new VerificationException(
          SCOPE_VIOLATION, "spec.operation.type aws-call needs a contract with an AWS target");
    }
    List<String> actions = contract.target().aws().actions();
    if (operation.action() == null || actions == null || !actions.contains(operation.action())) {
      throw new VerificationException(
          SCOPE_VIOLATION,
          "spec.operation.action " + operation.action() + " is not among the contract's actions");
    }
  }

  /** Every JSON Pointer a patch writes. */
  static List<String> touchedPaths(Operation operation) throws VerificationException {
    JsonNode patch = operation.patch();
    if (patch == null || patch.isNull()) {
      throw new VerificationException(MALFORMED_PROPOSAL, "spec.operation.patch is missing");
    }
    List<String> paths = new ArrayList<>();
    if (operation.patchType() == PatchType.JSON) {
      if (!patch.isArray() || patch.isEmpty()) {
        throw new VerificationException(
            MALFORMED_PROPOSAL, "spec.operation.patch must be a non-empty JSON patch array");
      }
      for (int i = 0; i < patch.size(); i++) {
        JsonNode op = patch.get(i);
        String verb = op.path("op").asText("");
        String path = op.path("path").isTextual() ? op.get("path").asText() : null;
        if (path == null || !(path.isEmpty() || path.startsWith("/"))) {
          throw new VerificationException(
              MALFORMED_PROPOSAL,
              "spec.operation.patch[" + i + "].path is missing or not a JSON Pointer");
        }
        if ("test".equals(verb)) {
          continue; // reads only
        }
        if (!WRITING_OPS.contains(verb)) {
          throw new VerificationException(
              MALFORMED_PROPOSAL,
              "spec.operation.patch[" + i + "].op '" + verb + "' is not an RFC 6902 operation");
        }
        paths.add(path);
        if ("move".equals(verb) || "copy".equals(verb)) {
          String from = op.path("from").isTextual() ? op.get("from").asText() : null;
          if (from == null || !(from.isEmpty() || from.startsWith("/"))) {
            throw new VerificationException(
                MALFORMED_PROPOSAL,
                "spec.operation.patch[" + i + "].from is missing or not a JSON Pointer");
          }
          if ("move".equals(verb)) {
            paths.add(from); // a move removes its source
          }
        }
      }
    } else if (operation.patchType() == PatchType.MERGE) {
      if (!patch.isObject()) {
        paths.add(""); // a non-object merge patch replaces the whole document
      } else if (patch.isEmpty()) {
        throw new VerificationException(
            MALFORMED_PROPOSAL, "spec.operation.patch is an empty merge patch");
      } else {
        collectLeaves(patch, "", paths);
      }
    } else {
      throw new VerificationException(
          MALFORMED_PROPOSAL, "spec.operation.patchType must be json or merge");
    }
    return paths;
  }

  private static void collectLeaves(JsonNode node, String prefix, List<String> paths) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String path = prefix + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
      if (field.getValue().isObject() && !field.getValue().isEmpty()) {
        collectLeaves(field.getValue(), path, paths);
      } else {
        paths.add(path);
      }
    }
  }

  private static String display(String path) {
    return path.isEmpty() ? "the whole object" : path;
  }

  private static String name(OperationType type) {
    return type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
