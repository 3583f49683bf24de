package dev.seb.contracts.scope;

import static dev.seb.contracts.ReasonCode.MALFORMED_PROPOSAL;
import static dev.seb.contracts.ReasonCode.SCOPE_VIOLATION;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.ContractOperation;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget;
import dev.seb.contracts.v1alpha1.OperationConstraints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A create makes exactly the object the SAB certified: the contract's target (apiVersion, kind,
 * namespace, fixed name), and equal to a create operation's {@code manifest} everywhere except at
 * that operation's {@code allowedPaths}, which the mandate's {@code allowedPaths}, when it has
 * them, narrow further. Both sides are compared as {@link CreatedObject} makes them, which is the
 * object the broker sends. A create operation without a manifest allows nothing.
 */
final class CertifiedCreate {

  private CertifiedCreate() {}

  static void verify(
      JsonNode proposed,
      ExecutionContractSpec contract,
      List<ContractOperation> creates,
      OperationConstraints mandate)
      throws VerificationException {
    if (proposed == null || !proposed.isObject()) {
      throw new VerificationException(
          MALFORMED_PROPOSAL, "spec.operation.object is missing: a create needs the object");
    }
    KubernetesTarget target = contract.target() == null ? null : contract.target().kubernetes();
    if (target == null) {
      throw new VerificationException(
          SCOPE_VIOLATION, "spec.operation.object: the contract has no Kubernetes target");
    }
    verifyTarget(proposed, target);
    List<ContractOperation> certified =
        creates.stream().filter(o -> o.manifest() != null && o.manifest().isObject()).toList();
    if (certified.isEmpty()) {
      throw new VerificationException(
          SCOPE_VIOLATION,
          "spec.operations: the contract's create operation has no manifest, so it certifies no"
              + " object and nothing may be created under it");
    }
    JsonNode object = CreatedObject.of(proposed, target);
    List<PathPattern> mandatePaths =
        mandate == null || mandate.allowedPaths() == null ? null : patterns(mandate.allowedPaths());
    String first = null;
    for (ContractOperation operation : certified) {
      List<PathPattern> contractPaths =
          operation.constraints() == null || operation.constraints().allowedPaths() == null
              ? List.of()
              : patterns(operation.constraints().allowedPaths());
      JsonNode manifest = CreatedObject.of(operation.manifest(), target);
      List<List<PathPattern>> contractOnly = new ArrayList<>();
      contractOnly.add(contractPaths);
      Optional<String> outside = new ManifestDiff(contractOnly).first(manifest, object);
      if (outside.isPresent()) {
        first =
            first != null
                ? first
                : "spec.operation.object differs from the contract's certified manifest at "
                    + display(outside.get())
                    + ", which the contract's allowedPaths do not allow";
        continue;
      }
      List<List<PathPattern>> both = new ArrayList<>(contractOnly);
      both.add(mandatePaths);
      Optional<String> outsideMandate = new ManifestDiff(both).first(manifest, object);
      if (outsideMandate.isPresent()) {
        first =
            first != null
                ? first
                : "spec.operation.object differs from the contract's certified manifest at "
                    + display(outsideMandate.get())
                    + ", which the mandate's allowedPaths do not allow";
        continue;
      }
      return;
    }
    throw new VerificationException(SCOPE_VIOLATION, first);
  }

  /** The object to create must be exactly the contract's target: group/version, kind, name. */
  private static void verifyTarget(JsonNode object, KubernetesTarget target)
      throws VerificationException {
    JsonNode metadata = object.path("metadata");
    String namespace = metadata.path("namespace").asText(target.namespace());
    Map<String, String[]> fields =
        Map.of(
            "apiVersion",
                new String[] {object.path("apiVersion").asText(null), target.apiVersion()},
            "kind", new String[] {object.path("kind").asText(null), target.kind()},
            "metadata.name", new String[] {metadata.path("name").asText(null), target.name()},
            "metadata.namespace", new String[] {namespace, target.namespace()});
    for (String field : List.of("apiVersion", "kind", "metadata.name", "metadata.namespace")) {
      String[] pair = fields.get(field);
      if (!pair[1].equals(pair[0])) {
        throw new VerificationException(
            SCOPE_VIOLATION,
            "spec.operation.object."
                + field
                + " is "
                + (pair[0] == null ? "missing" : "'" + pair[0] + "'")
                + "; the contract allows creating only "
                + target.apiVersion()
                + " "
                + target.kind()
                + " "
                + target.namespace()
                + "/"
                + target.name());
      }
    }
    if (metadata.has("generateName")) {
      throw new VerificationException(
          SCOPE_VIOLATION, "spec.operation.object.metadata.generateName: the name must be fixed");
    }
  }

  /** The well-formed patterns; a malformed one allows nothing. */
  private static List<PathPattern> patterns(List<String> texts) {
    List<PathPattern> out = new ArrayList<>();
    for (String text : texts) {
      try {
        out.add(PathPattern.parse(text));
      } catch (IllegalArgumentException e) {
        // a malformed pattern allows nothing
      }
    }
    return out;
  }

  private static String display(String pointer) {
    return pointer.isEmpty() ? "the whole object" : pointer;
  }
}
