package dev.seb.contracts.admission;

import dev.seb.contracts.SebKeys;

/**
 * What the broker's own identity may write outside protected namespaces, where the protected guard
 * does not look: its execution ServiceAccounts and their tokens, its signing-key Secret, its epoch
 * marks ConfigMap and its record chains' Leases, all in seb's namespace, by name; no RBAC object
 * anywhere (its minted Roles and RoleBindings are allowed only in protected namespaces, {@link
 * MintedRbac}) and nothing cluster-scoped. RBAC grants the broker {@code escalate} and {@code bind}
 * on Roles and RoleBindings and {@code create} on ServiceAccount tokens and Secrets in its
 * namespace, which RBAC cannot limit by name prefix or shape (nor, for {@code create}, by name at
 * all); this closes what those grants would otherwise allow to whoever holds the broker's token (a
 * Role with {@code *} in kube-system, a token for the operator's ServiceAccount, a legacy token
 * Secret, a forged Helm release Secret that a later {@code helm upgrade} would take its values
 * from, the operator's leader Lease).
 */
final class BrokerConfinement {

  /** The resources the guard registration sends to the webhook for the broker's identity. */
  static final java.util.List<String> CORE_RESOURCES =
      java.util.List.of("serviceaccounts", "serviceaccounts/token", "secrets", "configmaps");

  /** The API group of Leases, which the guard registration also sends for the broker. */
  static final String LEASE_GROUP = "coordination.k8s.io";

  static final java.util.List<String> LEASE_RESOURCES = java.util.List.of("leases");

  static final java.util.List<String> RBAC_RESOURCES =
      java.util.List.of("roles", "rolebindings", "clusterroles", "clusterrolebindings");

  private static final String TOKEN_SECRET = "kubernetes.io/service-account-token";

  private BrokerConfinement() {}

  /** Whether the broker's request outside protected namespaces is one of those it may make. */
  static boolean allows(AdmissionPolicy policy, AdmissionRequest request) {
    if (!request.isServiceAccountToken()
        || !policy.brokerUser().equals(request.username())
        || !policy.sebNamespace().equals(request.namespace())) {
      return false;
    }
    String group = request.group() == null ? "" : request.group();
    String subresource = request.subresource() == null ? "" : request.subresource();
    String name = request.name() == null ? "" : request.name();
    String operation = request.operation();
    boolean writes = "CREATE".equals(operation) || "UPDATE".equals(operation);
    boolean minted =
        name.startsWith(policy.executionPrefix())
            && name.length() > policy.executionPrefix().length();
    return switch (group + "/" + request.resource() + "/" + subresource) {
      case "/serviceaccounts/" ->
          minted && ("CREATE".equals(operation) || "DELETE".equals(operation));
      case "/serviceaccounts/token" -> minted && "CREATE".equals(operation);
      case "/secrets/" ->
          "CREATE".equals(operation)
              && SebKeys.SIGNING_KEY_SECRET.equals(name)
              && request.object() != null
              && !TOKEN_SECRET.equals(request.object().path("type").asText());
      case "/configmaps/" -> writes && SebKeys.EPOCH_MARKS.equals(name);
      case LEASE_GROUP + "/leases/" ->
          writes
              && name.startsWith(SebKeys.CHAIN_LEASE_PREFIX)
              && name.length() > SebKeys.CHAIN_LEASE_PREFIX.length();
      default -> false;
    };
  }

  /** The same rule in CEL, over an admission {@code request} and {@code object}. */
  static String cel(AdmissionPolicy policy) {
    String prefix = Cel.quotable(policy.executionPrefix());
    String minted =
        "has(request.name) && request.name.startsWith('"
            + prefix
            + "') && size(request.name) > "
            + prefix.length();
    String writes = "request.operation in ['CREATE', 'UPDATE']";
    return Cel.serviceAccountToken()
        + " && request.userInfo.username == '"
        + Cel.quotable(policy.brokerUser())
        + "' && has(request.namespace) && request.namespace == '"
        + Cel.quotable(policy.sebNamespace())
        + "' && ((request.resource.group == '' && ("
        + "(request.resource.resource == 'serviceaccounts' && "
        + Cel.subresourceIs("")
        + " && request.operation in ['CREATE', 'DELETE'] && "
        + minted
        + ") || (request.resource.resource == 'serviceaccounts' && "
        + Cel.subresourceIs("token")
        + " && request.operation == 'CREATE' && "
        + minted
        + ") || (request.resource.resource == 'secrets' && "
        + Cel.subresourceIs("")
        + " && request.operation == 'CREATE' && has(request.name) && request.name == '"
        + SebKeys.SIGNING_KEY_SECRET
        + "' && object != null"
        + " && !(has(object.type) && object.type == '"
        + TOKEN_SECRET
        + "')) || (request.resource.resource == 'configmaps' && "
        + Cel.subresourceIs("")
        + " && "
        + writes
        + " && has(request.name) && request.name == '"
        + SebKeys.EPOCH_MARKS
        + "'))) || (request.resource.group == '"
        + LEASE_GROUP
        + "' && request.resource.resource == 'leases' && "
        + Cel.subresourceIs("")
        + " && "
        + writes
        + " && has(request.name) && request.name.startsWith('"
        + SebKeys.CHAIN_LEASE_PREFIX
        + "') && size(request.name) > "
        + SebKeys.CHAIN_LEASE_PREFIX.length()
        + "))";
  }
}
