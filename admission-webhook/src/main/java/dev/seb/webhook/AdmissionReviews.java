package dev.seb.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.admission.AdmissionVerdict;
import dev.seb.contracts.canonical.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * AdmissionReview v1 on the wire, read and written as JSON trees. The rules look at the objects as
 * JSON, so the request is parsed once into a tree instead of into Fabric8's typed model and back;
 * the response has the fields and values Fabric8's {@code AdmissionReview} would serialise.
 */
final class AdmissionReviews {

  private AdmissionReviews() {}

  /** Parses a request body; only malformed JSON fails here. */
  static JsonNode parse(byte[] body) throws IOException {
    JsonNode review = CanonicalJson.mapper().readTree(body);
    return review == null ? MissingNode.getInstance() : review;
  }

  /** The request's uid, or null when there is none. */
  static String uid(JsonNode review) {
    return text(review.path("request"), "uid");
  }

  /**
   * The parts of the review's request the rules read.
   *
   * @throws IllegalArgumentException when the review has no request or a field is not what v1 says
   */
  static AdmissionRequest request(JsonNode review) {
    JsonNode r = review.get("request");
    if (r == null || !r.isObject()) {
      throw new IllegalArgumentException("not an AdmissionReview request: no request object");
    }
    JsonNode resource = r.path("resource");
    String subresource = text(r, "subResource");
    JsonNode user = r.path("userInfo");
    return new AdmissionRequest(
        text(r, "operation"),
        text(resource, "group"),
        text(resource, "resource"),
        subresource == null || subresource.isEmpty() ? null : subresource,
        text(r, "namespace"),
        text(r, "name"),
        text(user, "username"),
        groups(user.get("groups")),
        object(r.get("object")),
        object(r.get("oldObject")),
        user.path("extra").has(AdmissionRequest.CREDENTIAL_ID));
  }

  /**
   * The response review for a verdict, with an optional JSON patch, as JSON text; fields in the
   * order Fabric8 writes them.
   */
  static String response(String uid, AdmissionVerdict verdict, String jsonPatch) {
    ObjectNode review = CanonicalJson.mapper().createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode response = review.putObject("response");
    response.put("allowed", !(verdict instanceof AdmissionVerdict.Deny));
    if (verdict instanceof AdmissionVerdict.AllowWithWarning warn
        && warn.auditAnnotations() != null
        && !warn.auditAnnotations().isEmpty()) {
      ObjectNode annotations = response.putObject("auditAnnotations");
      warn.auditAnnotations().forEach(annotations::put);
    }
    if (jsonPatch != null) {
      response
          .put(
              "patch",
              Base64.getEncoder().encodeToString(jsonPatch.getBytes(StandardCharsets.UTF_8)))
          .put("patchType", "JSONPatch");
    }
    if (verdict instanceof AdmissionVerdict.Deny deny) {
      response
          .putObject("status")
          .put("apiVersion", "v1")
          .put("kind", "Status")
          .put("code", 403)
          .put("message", deny.message())
          .put("reason", "Forbidden");
    }
    if (uid != null) {
      response.put("uid", uid);
    }
    if (verdict instanceof AdmissionVerdict.AllowWithWarning warn) {
      response.putArray("warnings").add(warn.warning());
    }
    return review.toString();
  }

  private static String text(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " is not a string");
    }
    return value.textValue();
  }

  private static Set<String> groups(JsonNode groups) {
    if (groups == null || groups.isNull()) {
      return Set.of();
    }
    if (!groups.isArray()) {
      throw new IllegalArgumentException("userInfo.groups is not a list");
    }
    Set<String> names = new HashSet<>();
    for (JsonNode group : groups) {
      if (!group.isTextual()) {
        throw new IllegalArgumentException("userInfo.groups holds a non-string");
      }
      names.add(group.textValue());
    }
    return names;
  }

  private static JsonNode object(JsonNode object) {
    return object == null || object.isNull() ? null : object;
  }
}
