package dev.seb.contracts.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.canonical.CanonicalJson;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * seb's admission rules, as pure functions: no path around the broker in protected namespaces,
 * proposals stamped with their real submitter, and seb's own kinds out of agents' reach. The
 * webhook is a thin shell around these; anything it cannot decide is a denial.
 */
public final class AdmissionRules {

  private static final String SEB_GROUP = "seb.dev";
  private static final Set<String> AUTHORITY_KINDS =
      Set.of("mandates", "executioncontracts", "trustanchors");
  private static final String ANNOTATION = SebKeys.SUBMITTED_BY;

  private static final String SERVICE_ACCOUNT_USER = "system:serviceaccount:";

  private final AdmissionPolicy policy;

  /** Rules under a policy. */
  public AdmissionRules(AdmissionPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * Any CREATE, UPDATE, DELETE or CONNECT on any resource or subresource but seb's own kinds (which
   * {@link #sebKinds} guards everywhere) in a namespace labelled {@code seb.dev/protected=true}
   * (the registration's namespaceSelector sends only those): only broker-minted execution
   * identities pass (RBAC confines each to the one object and verb it was minted for), the broker
   * only to mint their Roles and RoleBindings; the cluster's own components and the configured
   * workload exemptions are exempt; break-glass passes with a warning; everyone else is denied, the
   * broker's own account included.
   */
  public AdmissionVerdict protectedNamespace(AdmissionRequest request) {
    if (SEB_GROUP.equals(request.group())) {
      // seb's own kinds have rules of their own (sebKinds): agents propose where they work
      return new AdmissionVerdict.Allow();
    }
    String user = request.username();
    if (request.isServiceAccountToken() && policy.isExecutionIdentity(user)) {
      return new AdmissionVerdict.Allow();
    }
    if (isSebEvent(request)) {
      // seb's operator and broker create Events, nothing else on their accounts
      return new AdmissionVerdict.Allow();
    }
    if (policy.brokerUser().equals(user)) {
      return MintedRbac.allows(policy, request)
          ? new AdmissionVerdict.Allow()
          : deny(
              request,
              "the broker's own identity never mutates protected objects; it acts only through the"
                  + " identity it mints for one admitted proposal, and mints only one rule for one"
                  + " object and verb");
    }
    if (isClusterComponent(request)
        || policy.workloadExemptions().stream().anyMatch(e -> e.allows(request))) {
      return new AdmissionVerdict.Allow();
    }
    if (request.inAny(policy.breakGlassGroups())) {
      String what = describe(request);
      return new AdmissionVerdict.AllowWithWarning(
          "seb break-glass: " + user + " " + what + " outside seb; this is recorded",
          Map.of(SebKeys.BREAK_GLASS, user + " " + what));
    }
    return deny(request, "namespace " + request.namespace() + " is protected by seb");
  }

  /**
   * What the guard registration sends: the broker's own writes to RBAC, ServiceAccounts and Secrets
   * outside protected namespaces and anything cluster-scoped ({@link BrokerConfinement}), and the
   * removal of a namespace's protection, which only the protection-admin groups may do ({@link
   * ProtectionLabel}). Anything else the guard is sent is allowed.
   */
  public AdmissionVerdict guard(AdmissionRequest request) {
    if (ProtectionLabel.unprotects(request)) {
      return request.inAny(policy.protectionAdminGroups())
          ? new AdmissionVerdict.AllowWithWarning(
              "seb: namespace "
                  + request.name()
                  + " is no longer protected by seb ("
                  + request.username()
                  + "); this is recorded",
              Map.of(SebKeys.UNPROTECT, request.username() + " " + verb(request)))
          : new AdmissionVerdict.Deny(
              "seb: "
                  + request.username()
                  + " may not "
                  + ("DELETE".equals(request.operation())
                      ? "delete protected namespace " + request.name()
                      : "remove or change label "
                          + SebKeys.PROTECTED
                          + " of namespace "
                          + request.name())
                  + ": only the protection-admin groups "
                  + new java.util.TreeSet<>(policy.protectionAdminGroups())
                  + " may end a namespace's protection");
    }
    if (policy.brokerUser().equals(request.username())
        && !BrokerConfinement.allows(policy, request)) {
      return new AdmissionVerdict.Deny(
          "seb: the broker's own identity may not "
              + describe(request)
              + ": outside protected namespaces it writes only its execution ServiceAccounts,"
              + " their tokens, its signing key, epoch marks and chain Leases in "
              + policy.sebNamespace()
              + ", and RBAC only in the minted shape inside protected namespaces");
    }
    return new AdmissionVerdict.Allow();
  }

  /**
   * seb's own kinds in any namespace: ServiceAccounts (agents) may not create, change or delete
   * Mandates, ExecutionContracts or TrustAnchors; a Mandate is written only by its principal or an
   * admin, and only narrowed ({@link MandateWrites}); ExecutionRecords are created only by the
   * broker and never changed or deleted except by the retention groups; a proposal is stamped with
   * its real submitter, and the stamp never changes; status is written only by seb's own components
   * ({@link StatusWrites}).
   */
  public AdmissionVerdict sebKinds(AdmissionRequest request) {
    if (!SEB_GROUP.equals(request.group())) {
      return new AdmissionVerdict.Allow();
    }
    if ("status".equals(request.subresource())) {
      return StatusWrites.decide(policy, request);
    }
    String resource = request.resource();
    String user = request.username();
    if (AUTHORITY_KINDS.contains(resource)) {
      if (request.isServiceAccount() && !request.inAny(policy.adminGroups())) {
        return new AdmissionVerdict.Deny(
            "seb: "
                + user
                + " may not "
                + verb(request)
                + " "
                + resource
                + ": agents cannot grant, certify or trust themselves; ask a principal or an admin");
      }
      if ("mandates".equals(resource)) {
        return new MandateWrites(policy).decide(request);
      }
      if ("trustanchors".equals(resource) && !request.inAny(policy.adminGroups())) {
        return new AdmissionVerdict.Deny(
            "seb: "
                + user
                + " may not "
                + verb(request)
                + " trustanchors: a TrustAnchor is seb's root of trust, written only by the admin"
                + " groups "
                + new java.util.TreeSet<>(policy.adminGroups()));
      }
      return new AdmissionVerdict.Allow();
    }
    if ("executionrecords".equals(resource)) {
      if ("CREATE".equals(request.operation())) {
        // the broker's ServiceAccount (its group), not a user merely named like it
        return policy.brokerUser().equals(user) && request.isServiceAccountToken()
            ? new AdmissionVerdict.Allow()
            : new AdmissionVerdict.Deny(
                "seb: only the broker (" + policy.brokerUser() + ") writes ExecutionRecords");
      }
      return request.inAny(policy.retentionGroups())
          ? new AdmissionVerdict.Allow()
          : new AdmissionVerdict.Deny(
              "seb: ExecutionRecords are never "
                  + ("DELETE".equals(request.operation()) ? "deleted" : "changed")
                  + " except by the retention groups "
                  + policy.retentionGroups());
    }
    if ("mutationproposals".equals(resource) && "CREATE".equals(request.operation())) {
      return SubmitterStamp.onCreate(request);
    }
    if ("mutationproposals".equals(resource) && "DELETE".equals(request.operation())) {
      String submitter = annotation(request.oldObject());
      boolean own = submitter != null && submitter.equals(user);
      return own || request.inAny(policy.adminGroups()) || isClusterComponent(request)
          ? new AdmissionVerdict.Allow()
          : new AdmissionVerdict.Deny(
              "seb: "
                  + user
                  + " may not delete proposal "
                  + request.namespace()
                  + "/"
                  + request.name()
                  + ": a proposal is withdrawn only by its submitter ("
                  + submitter
                  + ") or an admin");
    }
    if ("mutationproposals".equals(resource) && "UPDATE".equals(request.operation())) {
      String before = annotation(request.oldObject());
      String after = annotation(request.object());
      if (!Objects.equals(before, after)) {
        return new AdmissionVerdict.Deny(
            "seb: metadata.annotations["
                + ANNOTATION
                + "] is set by seb at creation and cannot be changed");
      }
    }
    return new AdmissionVerdict.Allow();
  }

  /**
   * The JSON patch that stamps a new proposal with its creator, replacing whatever the client sent.
   */
  public static ArrayNode stampSubmitter(AdmissionRequest request) {
    ArrayNode patch = CanonicalJson.mapper().createArrayNode();
    JsonNode annotations =
        request.object() == null ? null : request.object().path("metadata").get("annotations");
    if (annotations == null || !annotations.isObject()) {
      patch
          .addObject()
          .put("op", "add")
          .put("path", "/metadata/annotations")
          .putObject("value")
          .put(ANNOTATION, request.username());
    } else {
      patch
          .addObject()
          .put("op", "add")
          .put("path", "/metadata/annotations/" + ANNOTATION.replace("~", "~0").replace("/", "~1"))
          .put("value", request.username());
    }
    return patch;
  }

  /** seb's operator or broker reporting on seb's kinds: Events, nothing else. */
  private boolean isSebEvent(AdmissionRequest request) {
    // create only: seb's recorder never changes or deletes an Event, anyone's
    return "CREATE".equals(request.operation())
        && request.isServiceAccountToken()
        && (policy.operatorUser().equals(request.username())
            || policy.brokerUser().equals(request.username()))
        && "events".equals(request.resource())
        && (request.group() == null
            || request.group().isEmpty()
            || "events.k8s.io".equals(request.group()))
        && (request.subresource() == null || request.subresource().isEmpty());
  }

  private boolean isClusterComponent(AdmissionRequest request) {
    String user = request.username();
    if (policy.brokerUser().equals(user)) {
      return false;
    }
    if (request.inAny(policy.exemptGroups())) {
      return true;
    }
    for (String pattern : policy.exemptUsers()) {
      if (pattern.startsWith(SERVICE_ACCOUNT_USER) && !request.isServiceAccountToken()) {
        continue; // a ServiceAccount's name counts only with its token, never a user named like it
      }
      boolean matches =
          pattern.endsWith("*")
              ? user != null && user.startsWith(pattern.substring(0, pattern.length() - 1))
              : pattern.equals(user);
      if (matches) {
        return true;
      }
    }
    return false;
  }

  private static AdmissionVerdict deny(AdmissionRequest request, String why) {
    return new AdmissionVerdict.Deny(
        "seb: "
            + request.username()
            + " may not "
            + describe(request)
            + ": "
            + why
            + ". Propose the change instead: create a MutationProposal under your Mandate and an ExecutionContract; seb's broker executes it if it is admitted.");
  }

  private static String describe(AdmissionRequest request) {
    String what =
        request.resource() + (request.subresource() == null ? "" : "/" + request.subresource());
    return verb(request)
        + " "
        + what
        + " "
        + (request.namespace() == null ? "" : request.namespace() + "/")
        + (request.name() == null ? "" : request.name());
  }

  private static String verb(AdmissionRequest request) {
    return request.operation() == null
        ? "change"
        : request.operation().toLowerCase(java.util.Locale.ROOT);
  }

  private static String annotation(JsonNode object) {
    JsonNode value =
        object == null ? null : object.path("metadata").path("annotations").get(ANNOTATION);
    return value == null || value.isNull() ? null : value.asText();
  }
}
