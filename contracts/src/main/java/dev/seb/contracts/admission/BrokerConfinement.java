package dev.seb.contracts.admission;

/**
 * What the broker's own identity may write outside protected namespaces, where the protected guard
 * does not look: its execution ServiceAccounts and their tokens, and Secrets that are not
 * ServiceAccount tokens, all in seb's namespace; no RBAC object anywhere (its minted Roles and
 * RoleBindings are allowed only in protected namespaces, {@link MintedRbac}) and nothing
 * cluster-scoped. RBAC grants the broker {@code escalate} and {@code bind} on Roles and
 * RoleBindings and {@code create} on ServiceAccount tokens and Secrets in its namespace, which RBAC
 * cannot limit by name prefix or shape; this closes what those grants would otherwise allow to
 * whoever holds the broker's token (a Role with {@code *} in kube-system, a token for the
 * operator's ServiceAccount, a legacy token Secret).
 */
final class BrokerConfinement {

  /** The resources the guard registration sends to the webhook for the broker's identity. */
  static final java.util.List<String> CORE_RESOURCES =
      java.util.List.of("serviceaccounts", "serviceaccounts/token", "secrets");

  static final java.util.List<String> RBAC_RESOURCES =
      java.util.List.of("roles", "rolebindings", "clusterroles", "clusterrolebindings");

  private static final String TOKEN_SECRET = "kubernetes.io/service-account-token";

  private BrokerConfinement() {}

  /** Whether the broker's request outside protected namespaces is one of those it may make. */
  static boolean allows(AdmissionPolicy policy, AdmissionRequest request) {
    if (!request.isServiceAccountToken()
        || !policy.brokerUser().equals(request.username())
        || !policy.sebNamespace().equals(request.namespace())
        || !(request.group() == null || request.group().isEmpty())) {
      return false;
    }
    String subresource = request.subresource() == null ? "" : request.subresource();
    String name = request.name();
    boolean minted =
        name != null
            && name.startsWith(policy.executionPrefix())
            && name.length() > policy.executionPrefix().length();
    return switch (request.resource() + "/" + subresource) {
      case "serviceaccounts/" ->
          minted && ("CREATE".equals(request.operation()) || "DELETE".equals(request.operation()));
      case "serviceaccounts/token" -> minted && "CREATE".equals(request.operation());
      case "secrets/" ->
          "CREATE".equals(request.operation())
              && request.object() != null
              && !TOKEN_SECRET.equals(request.object().path("type").asText());
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
    return Cel.serviceAccountToken()
        + " && request.userInfo.username == '"
        + Cel.quotable(policy.brokerUser())
        + "' && has(request.namespace) && request.namespace == '"
        + Cel.quotable(policy.sebNamespace())
        + "' && request.resource.group == '' && ("
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
        + " && request.operation == 'CREATE' && object != null"
        + " && !(has(object.type) && object.type == '"
        + TOKEN_SECRET
        + "')))";
  }
}
