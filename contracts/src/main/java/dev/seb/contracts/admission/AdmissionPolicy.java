package dev.seb.contracts.admission;

import java.util.List;
import java.util.Set;

/**
 * Who may change what, as configured for one installation. Immutable; {@link #defaults()} is what a
 * fresh install enforces.
 *
 * @param sebNamespace the namespace the broker runs in and mints execution identities in
 * @param brokerServiceAccount the broker's own ServiceAccount name, which may mint but never mutate
 * @param executionPrefix the name prefix of broker-minted execution ServiceAccounts
 * @param protectedResources {@code group/resource} (core group empty) guarded in protected
 *     namespaces
 * @param exemptUsers the cluster's own controllers; a trailing {@code *} matches any suffix
 * @param exemptGroups groups of the cluster's own components (nodes)
 * @param breakGlassGroups groups allowed through with a warning and an audit record
 * @param adminGroups groups that administer seb (revoke any mandate, manage contracts and anchors)
 * @param retentionGroups groups that may update or delete ExecutionRecords
 * @param operatorServiceAccount the operator's own ServiceAccount name (in seb's namespace), the
 *     only writer of the status of Mandates, ExecutionContracts and TrustAnchors
 */
public record AdmissionPolicy(
    String sebNamespace,
    String brokerServiceAccount,
    String executionPrefix,
    Set<String> protectedResources,
    List<String> exemptUsers,
    Set<String> exemptGroups,
    Set<String> breakGlassGroups,
    Set<String> adminGroups,
    Set<String> retentionGroups,
    String operatorServiceAccount) {

  /** A policy with the default operator ServiceAccount, {@code seb-operator}. */
  public AdmissionPolicy(
      String sebNamespace,
      String brokerServiceAccount,
      String executionPrefix,
      Set<String> protectedResources,
      List<String> exemptUsers,
      Set<String> exemptGroups,
      Set<String> breakGlassGroups,
      Set<String> adminGroups,
      Set<String> retentionGroups) {
    this(
        sebNamespace,
        brokerServiceAccount,
        executionPrefix,
        protectedResources,
        exemptUsers,
        exemptGroups,
        breakGlassGroups,
        adminGroups,
        retentionGroups,
        "seb-operator");
  }

  /** Workloads, ConfigMaps, Secrets, Services, RBAC objects and pods. */
  public static final Set<String> DEFAULT_PROTECTED =
      Set.of(
          "apps/deployments",
          "apps/statefulsets",
          "apps/daemonsets",
          "apps/replicasets",
          "/configmaps",
          "/secrets",
          "/services",
          "/serviceaccounts",
          "/pods",
          "/persistentvolumeclaims",
          "batch/jobs",
          "batch/cronjobs",
          "autoscaling/horizontalpodautoscalers",
          "networking.k8s.io/ingresses",
          "networking.k8s.io/networkpolicies",
          "rbac.authorization.k8s.io/roles",
          "rbac.authorization.k8s.io/rolebindings");

  /** The defaults of a fresh install. */
  public static AdmissionPolicy defaults() {
    return new AdmissionPolicy(
        "seb-system",
        "seb-broker",
        "seb-exec-",
        DEFAULT_PROTECTED,
        List.of(
            "system:kube-controller-manager",
            "system:kube-scheduler",
            "system:serviceaccount:kube-system:*"),
        Set.of("system:nodes"),
        Set.of("seb:break-glass"),
        Set.of("system:masters", "seb:admins"),
        Set.of("seb:record-retention"),
        "seb-operator");
  }

  /** The user name of the broker's own ServiceAccount. */
  public String brokerUser() {
    return "system:serviceaccount:" + sebNamespace + ":" + brokerServiceAccount;
  }

  /** The user name of the operator's own ServiceAccount. */
  public String operatorUser() {
    return "system:serviceaccount:" + sebNamespace + ":" + operatorServiceAccount;
  }

  /** Whether a user name is a broker-minted execution identity. */
  public boolean isExecutionIdentity(String username) {
    String prefix = "system:serviceaccount:" + sebNamespace + ":" + executionPrefix;
    return username != null && username.startsWith(prefix) && username.length() > prefix.length();
  }

  /**
   * A CEL expression over an admission {@code request} (as the API server gives it to {@code
   * matchConditions} and ValidatingAdmissionPolicies) that holds exactly when the request comes
   * from a broker-minted execution identity: a ServiceAccount (the API server adds the {@code
   * system:serviceaccounts} group to its tokens) whose user name has the execution prefix in seb's
   * namespace. The same rule as {@link #isExecutionIdentity} with the ServiceAccount group the
   * webhook also requires. The group rules out a user merely named like one; it does not rule out
   * whoever can already act as any identity: a client certificate from the cluster's CA with {@code
   * O=system:serviceaccounts}, or impersonation of the ServiceAccount (which adds its groups).
   * Those are cluster-admin powers, outside what admission can tell apart.
   */
  public String executionIdentityCel() {
    String prefix = quotable("system:serviceaccount:" + sebNamespace + ":" + executionPrefix);
    return "has(request.userInfo.groups) && 'system:serviceaccounts' in request.userInfo.groups"
        + " && has(request.userInfo.username)"
        + " && request.userInfo.username.startsWith('"
        + prefix
        + "') && size(request.userInfo.username) > "
        + prefix.length();
  }

  /**
   * A CEL expression over an admission {@code request} and {@code object} that holds exactly when
   * the broker's own ServiceAccount creates, changes or deletes the Role or RoleBinding of an
   * execution identity it mints: named with the execution prefix, and for a RoleBinding that is not
   * being deleted, bound to such a Role and only to execution ServiceAccounts in seb's namespace.
   * The same rule the webhook applies to the broker in protected namespaces.
   */
  public String brokerMintedRbacCel() {
    String prefix = quotable(executionPrefix);
    return "has(request.userInfo.groups) && 'system:serviceaccounts' in request.userInfo.groups"
        + " && has(request.userInfo.username) && request.userInfo.username == '"
        + quotable(brokerUser())
        + "' && request.resource.group == 'rbac.authorization.k8s.io'"
        + " && request.resource.resource in ['roles', 'rolebindings']"
        + " && has(request.name) && request.name.startsWith('"
        + prefix
        + "') && (request.resource.resource == 'roles' || request.operation == 'DELETE'"
        + " || (object != null && object.roleRef.kind == 'Role'"
        + " && object.roleRef.name.startsWith('"
        + prefix
        + "') && has(object.subjects) && size(object.subjects) > 0"
        + " && object.subjects.all(s, s.kind == 'ServiceAccount' && has(s.namespace)"
        + " && s.namespace == '"
        + quotable(sebNamespace)
        + "' && has(s.name) && s.name.startsWith('"
        + prefix
        + "'))))";
  }

  /**
   * A CEL expression over an admission {@code request} that holds exactly when the request comes
   * from one of the cluster's own components the webhook exempts: a member of an exempt group, or
   * an exempt user (a trailing {@code *} matches any suffix), but never the broker's own account,
   * which the webhook denies whatever else it is. The same rule as the webhook's exemption.
   */
  public String clusterComponentCel() {
    List<String> users = new java.util.ArrayList<>();
    for (String pattern : exemptUsers.stream().sorted().toList()) {
      users.add(
          pattern.endsWith("*")
              ? "request.userInfo.username.startsWith('"
                  + quotable(pattern.substring(0, pattern.length() - 1))
                  + "')"
              : "request.userInfo.username == '" + quotable(pattern) + "'");
    }
    String groups =
        exemptGroups.stream()
            .sorted()
            .map(g -> "'" + quotable(g) + "'")
            .collect(java.util.stream.Collectors.joining(", "));
    return "!(has(request.userInfo.username) && request.userInfo.username == '"
        + quotable(brokerUser())
        + "') && ("
        + (groups.isEmpty()
            ? "false"
            : "(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ["
                + groups
                + "]))")
        + " || "
        + (users.isEmpty()
            ? "false"
            : "(has(request.userInfo.username) && (" + String.join(" || ", users) + "))")
        + ")";
  }

  /**
   * The {@code matchConditions} (name to CEL) of the protected-namespace webhook registration: the
   * API server calls the webhook only when none of the requests the webhook admits plainly is at
   * hand. Writes by execution identities, the broker minting their RBAC and the cluster's own
   * components then cost no webhook call and do not depend on the webhook being up; the
   * ValidatingAdmissionPolicy still applies to them.
   */
  public java.util.Map<String, String> webhookMatchConditions() {
    java.util.Map<String, String> conditions = new java.util.LinkedHashMap<>();
    conditions.put("not-an-execution-identity", "!(" + executionIdentityCel() + ")");
    conditions.put("not-the-brokers-minted-rbac", "!(" + brokerMintedRbacCel() + ")");
    conditions.put("not-a-cluster-component", "!(" + clusterComponentCel() + ")");
    return conditions;
  }

  /**
   * The {@code matchConditions} (name to CEL) of the registration for seb's own kinds: the API
   * server calls the webhook for every change of Mandates, ExecutionContracts and TrustAnchors, for
   * every proposal created (the submitter stamp, checked again after all mutating webhooks) or
   * changed, for every status write, and for every ExecutionRecord write; it is not called for what
   * the webhook admits plainly: a proposal deleted, the broker's own ServiceAccount creating a
   * record, and a status write by the one seb component that owns that kind's status.
   */
  public java.util.Map<String, String> sebKindsMatchConditions() {
    java.util.Map<String, String> conditions = new java.util.LinkedHashMap<>();
    conditions.put(
        "not-a-proposal-deleted",
        "!(request.resource.resource == 'mutationproposals' && request.operation == 'DELETE')");
    conditions.put(
        "not-a-record-by-the-broker",
        "!(request.resource.resource == 'executionrecords' && request.operation == 'CREATE'"
            + " && has(request.userInfo.groups)"
            + " && 'system:serviceaccounts' in request.userInfo.groups"
            + " && has(request.userInfo.username) && request.userInfo.username == '"
            + quotable(brokerUser())
            + "')");
    conditions.putAll(new SebKindsPolicyCel(this).statusMatchCondition());
    return conditions;
  }

  private static String quotable(String value) {
    if (value.contains("'") || value.contains("\\")) {
      throw new IllegalArgumentException("cannot be quoted in CEL: " + value);
    }
    return value;
  }
}
