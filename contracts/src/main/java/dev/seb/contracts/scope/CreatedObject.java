package dev.seb.contracts.scope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget;

/**
 * The object a certified create sends to the API server, and the form a manifest is compared in: a
 * copy with {@code metadata.namespace} set to the target's namespace when it is absent (the object
 * is created in that namespace either way). Nothing else is added or removed, so the object
 * compared with the manifest is the object created.
 */
public final class CreatedObject {

  private CreatedObject() {}

  /** A normalised copy; null stays null and a non-object is returned as a copy, unchanged. */
  public static JsonNode of(JsonNode object, KubernetesTarget target) {
    if (object == null || !object.isObject()) {
      return object == null ? null : object.deepCopy();
    }
    ObjectNode copy = ((ObjectNode) object).deepCopy();
    JsonNode metadata = copy.get("metadata");
    if (metadata == null) {
      copy.putObject("metadata").put("namespace", target.namespace());
    } else if (metadata.isObject() && !metadata.has("namespace")) {
      ((ObjectNode) metadata).put("namespace", target.namespace());
    }
    return copy;
  }
}
