package dev.seb.contracts.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The only RBAC the broker's own identity may write: the Role and RoleBinding of one execution
 * identity it mints (ARCHITECTURE.md section 6), created or deleted, in a protected namespace.
 *
 * <ul>
 *   <li>Both named with the execution prefix; never updated.
 *   <li>A Role with exactly one rule: one API group, one resource (or its {@code scale}
 *       subresource, for {@code patch} only), one verb of {@code patch}, {@code create} or {@code
 *       delete}, exactly one resource name except for {@code create} (RBAC cannot restrict create
 *       by name), no wildcard anywhere and no non-resource URL.
 *   <li>A RoleBinding of the Role with its own name, to the one ServiceAccount with its own name in
 *       seb's namespace.
 * </ul>
 *
 * Whoever holds the broker's token can therefore still mint an identity for one object and one verb
 * at a time in a protected namespace, and nothing broader: no wildcard, nothing cluster-scoped,
 * nothing outside protected namespaces ({@link BrokerConfinement}).
 */
final class MintedRbac {

  static final String GROUP = "rbac.authorization.k8s.io";
  private static final Set<String> VERBS = Set.of("patch", "create", "delete");
  private static final String RESOURCE = "^[a-z0-9][-a-z0-9.]*(/scale)?$";
  private static final String API_GROUP = "^([a-z0-9][-a-z0-9.]*)?$";

  private MintedRbac() {}

  /** Whether the request is the broker writing a minted Role or RoleBinding of that shape. */
  static boolean allows(AdmissionPolicy policy, AdmissionRequest request) {
    String name = request.name();
    boolean named =
        name != null
            && name.startsWith(policy.executionPrefix())
            && name.length() > policy.executionPrefix().length();
    if (!request.isServiceAccountToken()
        || !policy.brokerUser().equals(request.username())
        || !GROUP.equals(request.group())
        || request.subresource() != null && !request.subresource().isEmpty()
        || !named) {
      return false;
    }
    if ("DELETE".equals(request.operation())) {
      return "roles".equals(request.resource()) || "rolebindings".equals(request.resource());
    }
    if (!"CREATE".equals(request.operation()) || request.object() == null) {
      return false;
    }
    return switch (request.resource()) {
      case "roles" -> isMintedRole(request.object());
      case "rolebindings" -> isMintedBinding(policy, name, request.object());
      default -> false;
    };
  }

  private static boolean isMintedRole(JsonNode role) {
    JsonNode rules = role.path("rules");
    if (!rules.isArray() || rules.size() != 1) {
      return false;
    }
    JsonNode rule = rules.get(0);
    JsonNode groups = rule.path("apiGroups");
    JsonNode resources = rule.path("resources");
    JsonNode verbs = rule.path("verbs");
    JsonNode names = rule.path("resourceNames");
    JsonNode urls = rule.path("nonResourceURLs");
    if (!single(groups)
        || !groups.get(0).asText().matches(API_GROUP)
        || !single(resources)
        || !resources.get(0).asText().matches(RESOURCE)
        || !single(verbs)
        || !VERBS.contains(verbs.get(0).asText())
        || !(urls.isMissingNode() || urls.isNull() || urls.isArray() && urls.isEmpty())) {
      return false;
    }
    String verb = verbs.get(0).asText();
    if (resources.get(0).asText().endsWith("/scale") && !"patch".equals(verb)) {
      return false;
    }
    boolean noNames = names.isMissingNode() || names.isNull() || names.isArray() && names.isEmpty();
    return "create".equals(verb) ? noNames : single(names) && !names.get(0).asText().isEmpty();
  }

  private static boolean isMintedBinding(AdmissionPolicy policy, String name, JsonNode binding) {
    JsonNode roleRef = binding.path("roleRef");
    JsonNode subjects = binding.path("subjects");
    if (!GROUP.equals(roleRef.path("apiGroup").asText())
        || !"Role".equals(roleRef.path("kind").asText())
        || !name.equals(roleRef.path("name").asText())
        || !subjects.isArray()
        || subjects.size() != 1) {
      return false;
    }
    JsonNode subject = subjects.get(0);
    return "ServiceAccount".equals(subject.path("kind").asText())
        && policy.sebNamespace().equals(subject.path("namespace").asText())
        && name.equals(subject.path("name").asText());
  }

  private static boolean single(JsonNode array) {
    return array.isArray() && array.size() == 1 && array.get(0).isTextual();
  }

  /** The same rule in CEL, over an admission {@code request} and {@code object}. */
  static String cel(AdmissionPolicy policy) {
    String prefix = Cel.quotable(policy.executionPrefix());
    String role =
        "has(object.rules) && size(object.rules) == 1 && object.rules.all(r,"
            + " has(r.apiGroups) && size(r.apiGroups) == 1"
            + " && r.apiGroups.all(g, g.matches('"
            + API_GROUP
            + "'))"
            + " && has(r.resources) && size(r.resources) == 1"
            + " && r.resources.all(x, x.matches('"
            + RESOURCE
            + "'))"
            + " && has(r.verbs) && size(r.verbs) == 1"
            + " && r.verbs.all(v, v in ['patch', 'create', 'delete'])"
            + " && r.resources.all(x, !x.endsWith('/scale') || r.verbs.all(v, v == 'patch'))"
            + " && (!has(r.nonResourceURLs) || size(r.nonResourceURLs) == 0)"
            + " && (r.verbs.all(v, v == 'create')"
            + " ? (!has(r.resourceNames) || size(r.resourceNames) == 0)"
            + " : (has(r.resourceNames) && size(r.resourceNames) == 1"
            + " && r.resourceNames.all(n, n != ''))))";
    String binding =
        "has(object.roleRef) && object.roleRef.apiGroup == '"
            + GROUP
            + "' && object.roleRef.kind == 'Role' && object.roleRef.name == request.name"
            + " && has(object.subjects) && size(object.subjects) == 1"
            + " && object.subjects.all(s, s.kind == 'ServiceAccount' && has(s.namespace)"
            + " && s.namespace == '"
            + Cel.quotable(policy.sebNamespace())
            + "' && s.name == request.name)";
    return Cel.serviceAccountToken()
        + " && request.userInfo.username == '"
        + Cel.quotable(policy.brokerUser())
        + "' && request.resource.group == '"
        + GROUP
        + "' && request.resource.resource in ['roles', 'rolebindings'] && "
        + Cel.subresourceIs("")
        + " && has(request.name) && request.name.startsWith('"
        + prefix
        + "') && size(request.name) > "
        + prefix.length()
        + " && (request.operation == 'DELETE' || (request.operation == 'CREATE' && object != null"
        + " && (request.resource.resource == 'roles' ? ("
        + role
        + ") : ("
        + binding
        + "))))";
  }
}
