package dev.seb.contracts.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may write a Mandate, and how. A mandate is created, changed and deleted only by the principal
 * it names ({@code spec.principal.subject} equal to the writer's user name; on update and delete
 * the stored mandate's principal counts, so nobody takes a mandate over by naming herself) or by a
 * member of the admin groups. A revocation is set once, by that principal (in her own name, {@code
 * requestedBy}) or an admin (who may record it on someone's behalf, for example an incident
 * lead's). A revoked mandate's spec never changes again; only its metadata may (labels,
 * annotations, finalizers). Every other amendment, by a principal or an admin alike, may only
 * narrow the mandate ({@link MandateAmendment}); broadening needs a new mandate, which leaves the
 * grant and its history readable.
 */
public final class MandateWrites {

  private final AdmissionPolicy policy;

  /** Mandate writes under a policy. */
  public MandateWrites(AdmissionPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** The verdict on a CREATE, UPDATE or DELETE of a Mandate (not its status). */
  public AdmissionVerdict decide(AdmissionRequest request) {
    String operation = request.operation();
    JsonNode named = "CREATE".equals(operation) ? request.object() : request.oldObject();
    String principal = text(spec(named).path("principal").path("subject"));
    boolean admin = request.inAny(policy.adminGroups());
    String user = request.username();
    if (principal == null) {
      return deny(request, "it names no spec.principal.subject");
    }
    if (!admin && !principal.equals(user)) {
      return deny(
          request,
          "a mandate is written only by the principal it names (spec.principal.subject "
              + principal
              + ") or an admin (groups "
              + policy.adminGroups()
              + ")");
    }
    if ("DELETE".equals(operation)) {
      // deleting a revoked mandate and creating it again under its name would undo the revocation
      return !isRevoked(request.oldObject()) || admin
          ? new AdmissionVerdict.Allow()
          : deny(
              request,
              "it is revoked, and a revoked mandate is deleted only by an admin (groups "
                  + policy.adminGroups()
                  + "): created again under its name it would be unrevoked");
    }
    JsonNode after = spec(request.object());
    JsonNode revocationAfter = after.get("revocation");
    if ("CREATE".equals(operation)) {
      return revocationAfter == null || admin ? new AdmissionVerdict.Allow() : revokedBy(request);
    }
    if (!"UPDATE".equals(operation)) {
      return deny(request, "unknown operation");
    }
    JsonNode before = spec(request.oldObject());
    if (isRevoked(request.oldObject())) {
      return before.equals(after)
          ? new AdmissionVerdict.Allow()
          : deny(
              request,
              "it is revoked, and a revoked mandate's spec never changes (only its labels,"
                  + " annotations and finalizers may); create a new mandate");
    }
    if (revocationAfter != null && !admin) {
      AdmissionVerdict revoker = revokedBy(request);
      if (!(revoker instanceof AdmissionVerdict.Allow)) {
        return revoker;
      }
    }
    Optional<String> broader = MandateAmendment.broadening(before, after);
    return broader.isEmpty()
        ? new AdmissionVerdict.Allow()
        : deny(
            request,
            broader.get()
                + "; an amendment may only narrow a mandate: create a new mandate to broaden");
  }

  /** A principal's revocation must be requested in her own name. */
  private AdmissionVerdict revokedBy(AdmissionRequest request) {
    String requestedBy = text(spec(request.object()).path("revocation").path("requestedBy"));
    return request.username().equals(requestedBy)
        ? new AdmissionVerdict.Allow()
        : deny(
            request,
            "spec.revocation.requestedBy is "
                + requestedBy
                + ", but a revocation is requested in the revoker's own name ("
                + request.username()
                + ")");
  }

  private static boolean isRevoked(JsonNode stored) {
    return spec(stored).has("revocation")
        || "Revoked".equals(text(stored == null ? null : stored.path("status").path("phase")));
  }

  private static JsonNode spec(JsonNode object) {
    JsonNode spec = object == null ? null : object.get("spec");
    return spec == null || !spec.isObject()
        ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
        : spec;
  }

  private static String text(JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  private static AdmissionVerdict deny(AdmissionRequest request, String why) {
    String verb =
        request.operation() == null
            ? "change"
            : request.operation().toLowerCase(java.util.Locale.ROOT);
    return new AdmissionVerdict.Deny(
        "seb: "
            + request.username()
            + " may not "
            + verb
            + " Mandate "
            + request.namespace()
            + "/"
            + request.name()
            + ": "
            + why);
  }
}
