package dev.seb.contracts.notice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.record.AdmissionNotice;
import dev.seb.contracts.record.RecordClaims;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the admission webhook tells the broker before it allows a write that seb must record: a
 * {@code break-glass} write in a protected namespace, or an {@code unprotect} (the protection label
 * removed or changed, or a protected namespace deleted). The broker signs it into its chain as a
 * record of that kind and answers only after the record is stored.
 *
 * <p>Wire shape ({@code POST /v1/notices}): {@code {kind: "break-glass"|"unprotect", admissionUid,
 * user, groups[], operation, group, resource, subresource?, namespace?, name?}}. Read strictly: an
 * unknown field, a missing one or a wrong type is refused, naming the field.
 *
 * @param kind {@code BREAK_GLASS} or {@code UNPROTECT}
 * @param admission the admission it is about
 */
public record Notice(Kind kind, AdmissionNotice admission) {

  private static final Set<String> FIELDS =
      Set.of(
          "kind",
          "admissionUid",
          "user",
          "groups",
          "operation",
          "group",
          "resource",
          "subresource",
          "namespace",
          "name");

  /** Checks that the kind is one a notice can have. */
  public Notice {
    if (kind == null || !RecordDraft.aboutAdmission(kind)) {
      throw new IllegalArgumentException(
          "kind must be break-glass or unprotect, not "
              + (kind == null ? "absent" : RecordClaims.kindName(kind)));
    }
    Objects.requireNonNull(admission, "admission");
  }

  /** The notice for an AdmissionReview request, as the webhook sends it. */
  public static Notice of(Kind kind, String admissionUid, AdmissionRequest request) {
    return new Notice(
        kind,
        new AdmissionNotice(
            admissionUid,
            request.username(),
            request.groups() == null ? List.of() : List.copyOf(request.groups()),
            request.operation(),
            request.group() == null ? "" : request.group(),
            request.resource(),
            request.subresource(),
            request.namespace(),
            request.name()));
  }

  /**
   * Reads a notice from its JSON body.
   *
   * @throws IllegalArgumentException naming the field that is missing, unknown or wrong
   */
  public static Notice parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("a notice is a JSON object");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "'");
      }
    }
    String kind = text(body, "kind", true);
    Kind parsed =
        switch (kind) {
          case "break-glass" -> Kind.BREAK_GLASS;
          case "unprotect" -> Kind.UNPROTECT;
          default ->
              throw new IllegalArgumentException(
                  "field 'kind' must be break-glass or unprotect, not '" + kind + "'");
        };
    JsonNode groups = body.get("groups");
    if (groups == null || !groups.isArray()) {
      throw new IllegalArgumentException("field 'groups' must be a list of strings");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode g : groups) {
      if (!g.isTextual()) {
        throw new IllegalArgumentException("field 'groups' must hold strings only");
      }
      names.add(g.textValue());
    }
    return new Notice(
        parsed,
        new AdmissionNotice(
            text(body, "admissionUid", true),
            text(body, "user", true),
            names,
            text(body, "operation", true),
            text(body, "group", true),
            text(body, "resource", true),
            text(body, "subresource", false),
            text(body, "namespace", false),
            text(body, "name", false)));
  }

  /** The JSON body {@link #parse} reads. */
  public ObjectNode toJson() {
    ObjectNode body = CanonicalJson.mapper().createObjectNode();
    body.put("kind", RecordClaims.kindName(kind));
    body.put("admissionUid", admission.uid());
    body.put("user", admission.user());
    ArrayNode groups = body.putArray("groups");
    admission.groups().forEach(groups::add);
    body.put("operation", admission.operation());
    body.put("group", admission.group());
    body.put("resource", admission.resource());
    putIfPresent(body, "subresource", admission.subresource());
    putIfPresent(body, "namespace", admission.namespace());
    putIfPresent(body, "name", admission.name());
    return body;
  }

  /** The record to sign. */
  public RecordDraft draft() {
    return RecordDraft.notice(kind, admission);
  }

  /**
   * The name the record is stored under, {@code <kind>-<admission uid>}: one admission, one record
   * of each kind, however often the API server calls the webhook for it.
   */
  public String recordName() {
    return RecordClaims.kindName(kind) + "-" + admission.uid();
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException("field '" + field + "' is missing");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string");
    }
    return value.textValue();
  }

  private static void putIfPresent(ObjectNode body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}
