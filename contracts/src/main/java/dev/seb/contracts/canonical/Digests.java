package dev.seb.contracts.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** The digests §4 of the architecture defines, over RFC 8785 canonical JSON. */
public final class Digests {

  /** The spec field a contract digest leaves out: the certificate is made over the rest. */
  public static final String CERTIFICATE_FIELD = "certificate";

  private Digests() {}

  /**
   * The contract digest: canonical JSON of the {@code ExecutionContract} spec without {@code
   * certificate}. This is the certificate's {@code sub}.
   */
  public static String contract(JsonNode spec) {
    if (spec == null || !spec.isObject()) {
      throw new IllegalArgumentException("ExecutionContract spec must be a JSON object");
    }
    ObjectNode copy = ((ObjectNode) spec).deepCopy();
    copy.remove(CERTIFICATE_FIELD);
    return CanonicalJson.digest(copy);
  }

  /**
   * The proposal digest: canonical JSON of {@code {"spec": ..., "namespace": ..., "name": ...,
   * "uid": ...}}, so that the same spec under another object is a different proposal.
   */
  public static String proposal(JsonNode spec, String namespace, String name, String uid) {
    ObjectNode envelope = CanonicalJson.mapper().createObjectNode();
    envelope.set("spec", Objects.requireNonNull(spec, "spec"));
    envelope.put("namespace", Objects.requireNonNull(namespace, "namespace"));
    envelope.put("name", Objects.requireNonNull(name, "name"));
    envelope.put("uid", Objects.requireNonNull(uid, "uid"));
    return CanonicalJson.digest(envelope);
  }

  /**
   * The digest of an object's state as the API server returned it (the {@code preState} and {@code
   * postState} of records); null for no object.
   */
  public static String state(JsonNode object) {
    return object == null || object.isNull() ? null : CanonicalJson.digest(object);
  }
}
