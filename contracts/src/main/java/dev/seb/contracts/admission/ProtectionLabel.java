package dev.seb.contracts.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.SebKeys;

/**
 * The label that turns protection on guards itself: removing or changing {@code
 * seb.dev/protected=true} on a Namespace, or deleting a protected Namespace, is allowed only to the
 * protection-admin groups (and leaves an {@code unprotect} record). Adding it is allowed to whoever
 * may edit the Namespace.
 */
public final class ProtectionLabel {

  /**
   * Where a Namespace's labels can be written: the object itself, and its {@code status} and {@code
   * finalize} subresources, whose handlers keep the labels of the request body too.
   */
  static final java.util.List<String> SUBRESOURCES = java.util.List.of("", "status", "finalize");

  /** The guarded resources as registration rules name them. */
  static final java.util.List<String> RESOURCES =
      java.util.List.of("namespaces", "namespaces/status", "namespaces/finalize");

  private ProtectionLabel() {}

  /** Whether the request removes protection: a Namespace update or delete that drops the label. */
  public static boolean unprotects(AdmissionRequest request) {
    if (!(request.group() == null || request.group().isEmpty())
        || !"namespaces".equals(request.resource())
        || !SUBRESOURCES.contains(request.subresource() == null ? "" : request.subresource())) {
      return false;
    }
    boolean wasProtected = isProtected(request.oldObject());
    return switch (request.operation()) {
      case "DELETE" -> wasProtected;
      case "UPDATE" -> wasProtected && !isProtected(request.object());
      default -> false;
    };
  }

  private static boolean isProtected(JsonNode namespace) {
    return namespace != null
        && "true"
            .equals(namespace.path("metadata").path("labels").path(SebKeys.PROTECTED).asText(null));
  }

  /**
   * {@link #unprotects} in CEL, over an admission {@code request}, {@code object}, {@code
   * oldObject}.
   */
  static String unprotectsCel() {
    String old =
        "oldObject != null && has(oldObject.metadata.labels)"
            + " && '"
            + SebKeys.PROTECTED
            + "' in oldObject.metadata.labels && oldObject.metadata.labels['"
            + SebKeys.PROTECTED
            + "'] == 'true'";
    String kept =
        "object != null && has(object.metadata.labels) && '"
            + SebKeys.PROTECTED
            + "' in object.metadata.labels && object.metadata.labels['"
            + SebKeys.PROTECTED
            + "'] == 'true'";
    return "request.resource.group == '' && request.resource.resource == 'namespaces' && ("
        + Cel.subresourceIs("")
        + " || "
        + Cel.subresourceIs("status")
        + " || "
        + Cel.subresourceIs("finalize")
        + ") && "
        + old
        + " && (request.operation == 'DELETE' || (request.operation == 'UPDATE' && !("
        + kept
        + ")))";
  }
}
