package dev.seb.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.OperationType;

/** The operations the broker's tests propose. */
final class Operations {

  /** Delete the contract's target. */
  static final MutationProposalSpec.Operation DELETE = operation(OperationType.DELETE, null, null);

  private Operations() {}

  /** Scale the target to {@code replicas}. */
  static MutationProposalSpec.Operation scale(int replicas) {
    return operation(OperationType.SCALE, replicas, null);
  }

  /** Create {@code object} (JSON). */
  static MutationProposalSpec.Operation create(String object) throws Exception {
    return operation(OperationType.CREATE, null, CanonicalJson.mapper().readTree(object));
  }

  /** Merge-patch the target with {@code patch} (JSON). */
  static MutationProposalSpec.Operation mergePatch(String patch) throws Exception {
    return new MutationProposalSpec.Operation(
        OperationType.PATCH,
        null,
        MutationProposalSpec.PatchType.MERGE,
        CanonicalJson.mapper().readTree(patch),
        null,
        null,
        null);
  }

  private static MutationProposalSpec.Operation operation(
      OperationType type, Integer replicas, JsonNode object) {
    return new MutationProposalSpec.Operation(type, replicas, null, null, object, null, null);
  }
}
