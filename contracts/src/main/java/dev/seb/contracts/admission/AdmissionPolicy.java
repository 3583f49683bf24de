package dev.seb.contracts.admission;

import java.util.List;
import java.util.Set;

/**
 * Who may change what, as configured for one installation. Immutable; {@link #defaults()} is what a
 * fresh install enforces. Protected namespaces are default-deny: every write and connect on every
 * resource and subresource is refused unless one of the exemptions below applies.
 *
 * @param sebNamespace the namespace the broker runs in and mints execution identities in
 * @param brokerServiceAccount the broker's own ServiceAccount name, which may mint but never mutate
 * @param executionPrefix the name prefix of broker-minted execution ServiceAccounts
 * @param exemptUsers the cluster's own controllers; a trailing {@code *} matches any suffix
 * @param exemptGroups groups of the cluster's own components (nodes)
 * @param workloadExemptions named workload ServiceAccounts that may write named resource types in
 *     their own namespace
 * @param breakGlassGroups groups allowed through with a warning and a signed record
 * @param adminGroups groups that administer seb (revoke any mandate, manage contracts and anchors)
 * @param retentionGroups groups that may update or delete ExecutionRecords
 * @param protectionAdminGroups groups that may remove the {@code seb.dev/protected} label or delete
 *     a protected namespace
 * @param operatorServiceAccount the operator's own ServiceAccount name (in seb's namespace), the
 *     only writer of the status of Mandates, ExecutionContracts and TrustAnchors
 */
public record AdmissionPolicy(
    String sebNamespace,
    String brokerServiceAccount,
    String executionPrefix,
    List<String> exemptUsers,
    Set<String> exemptGroups,
    List<WorkloadExemption> workloadExemptions,
    Set<String> breakGlassGroups,
    Set<String> adminGroups,
    Set<String> retentionGroups,
    Set<String> protectionAdminGroups,
    String operatorServiceAccount) {

  /** A policy with the default operator ServiceAccount, {@code seb-operator}. */
  public AdmissionPolicy(
      String sebNamespace,
      String brokerServiceAccount,
      String executionPrefix,
      List<String> exemptUsers,
      Set<String> exemptGroups,
      List<WorkloadExemption> workloadExemptions,
      Set<String> breakGlassGroups,
      Set<String> adminGroups,
      Set<String> retentionGroups,
      Set<String> protectionAdminGroups) {
    this(
        sebNamespace,
        brokerServiceAccount,
        executionPrefix,
        exemptUsers,
        exemptGroups,
        workloadExemptions,
        breakGlassGroups,
        adminGroups,
        retentionGroups,
        protectionAdminGroups,
        "seb-operator");
  }

  public AdmissionPolicy {
    exemptUsers = List.copyOf(exemptUsers);
    exemptGroups = Set.copyOf(exemptGroups);
    workloadExemptions = List.copyOf(workloadExemptions);
    breakGlassGroups = Set.copyOf(breakGlassGroups);
    adminGroups = Set.copyOf(adminGroups);
    retentionGroups = Set.copyOf(retentionGroups);
    protectionAdminGroups = Set.copyOf(protectionAdminGroups);
  }

  /**
   * seb's own kinds, which have rules of their own in every namespace (agents propose where they
   * work): the protected-namespace rule leaves them to those.
   */
  static final String SEB_KIND_CEL = "request.resource.group == 'seb.dev'";

  /**
   * The defaults of a fresh install. The cluster's own components: the controller manager and the
   * scheduler (their own users), the controllers' ServiceAccounts in {@code kube-system} (the
   * controller manager runs each controller under one there; whoever can act as a {@code
   * kube-system} ServiceAccount already administers the cluster) and the nodes' kubelets, which the
   * Node authorizer confines to their own pods. No workload exemption.
   */
  public static AdmissionPolicy defaults() {
    return new AdmissionPolicy(
        "seb-system",
        "seb-broker",
        "seb-exec-",
        List.of(
            "system:kube-controller-manager",
            "system:kube-scheduler",
            "system:serviceaccount:kube-system:*"),
        Set.of("system:nodes"),
        List.of(),
        Set.of("seb:break-glass"),
        Set.of("system:masters", "seb:admins"),
        Set.of("seb:record-retention"),
        Set.of("seb:protection-admins"),
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
    return Cel.serviceAccountToken()
        + " && request.userInfo.username.startsWith('"
        + prefix
        + "') && size(request.userInfo.username) > size('"
        + prefix
        + "')";
  }

  /**
   * A CEL expression over an admission {@code request} and {@code object} that holds exactly when
   * the broker's own ServiceAccount creates or deletes the Role or RoleBinding of an execution
   * identity it mints, in the minted shape ({@link MintedRbac}). The same rule the webhook applies
   * to the broker in protected namespaces.
   */
  public String brokerMintedRbacCel() {
    return MintedRbac.cel(this);
  }

  /**
   * A CEL expression over an admission {@code request} that holds exactly when the request comes
   * from one of the cluster's own components the webhook exempts: a member of an exempt group, or
   * an exempt user (a trailing {@code *} matches any suffix; a ServiceAccount's name counts only
   * with its token, never a user named like it), but never the broker's own account, which the
   * webhook denies whatever else it is. The same rule as the webhook's exemption. The users are one
   * CEL list literal, so the expression's text is the same for any users but for that literal.
   */
  public String clusterComponentCel() {
    String user = "request.userInfo.username";
    return "!("
        + Cel.userIs(brokerUser())
        + ") && ("
        + Cel.inGroups(exemptGroups)
        + " || (has(request.userInfo.username) && "
        + Cel.list(exemptUsers)
        + ".exists(p, (p.endsWith('*') ? "
        + user
        + ".startsWith(p.substring(0, size(p) - 1)) : "
        + user
        + " == p) && (!p.startsWith('system:serviceaccount:') || ("
        + Cel.serviceAccountToken()
        + "))))"
        + ")";
  }

  /**
   * A CEL expression that holds exactly when a workload exemption allows the request, never for the
   * broker's own account: a ServiceAccount token whose user, namespace and resource type are one of
   * the exemptions' triples ({@link #workloadExemptionsCel}).
   */
  public String workloadExemptionCel() {
    return "!("
        + Cel.userIs(brokerUser())
        + ") && "
        + Cel.serviceAccountToken()
        + " && "
        + workloadExemptionsCel(workloadExemptions)
        + ".exists(w, request.userInfo.username == w[0] && request.namespace == w[1]"
        + " && request.resource.group + '/' + request.resource.resource"
        + " + (has(request.subResource) && request.subResource != '' ? '/' + request.subResource"
        + " : '') == w[2])";
  }

  /**
   * The workload exemptions as one CEL list literal of {@code [user, namespace, type]} triples, one
   * per exempt resource type ({@code group/resource[/subresource]}, sorted within an exemption),
   * the exemptions in their order: {@code []} for none.
   */
  public static String workloadExemptionsCel(List<WorkloadExemption> exemptions) {
    List<String> triples = new java.util.ArrayList<>();
    for (WorkloadExemption e : exemptions) {
      for (String type : new java.util.TreeSet<>(e.resources())) {
        triples.add(Cel.list(List.of(e.user(), e.namespace(), type), false));
      }
    }
    return "[" + String.join(", ", triples) + "]";
  }

  /** A CEL expression that holds exactly when seb's operator or broker writes an Event. */
  public String sebEventCel() {
    return "request.operation == 'CREATE' && "
        + Cel.serviceAccountToken()
        + " && request.userInfo.username in "
        + Cel.list(List.of(operatorUser(), brokerUser()))
        + " && request.resource.resource == 'events'"
        + " && request.resource.group in ['', 'events.k8s.io'] && "
        + Cel.subresourceIs("");
  }

  /** A CEL expression that holds exactly when a break-glass user (not the broker) asks. */
  public String breakGlassCel() {
    return "!(" + Cel.userIs(brokerUser()) + ") && " + Cel.inGroups(breakGlassGroups);
  }

  /**
   * The whole rule of protected namespaces in CEL, over {@code request} and {@code object}: what
   * the ValidatingAdmissionPolicy requires of every request it matches there. The same verdicts as
   * {@link AdmissionRules#protectedNamespace}; a parity test runs one request matrix against each.
   */
  public String protectedNamespaceCel() {
    return "("
        + SEB_KIND_CEL
        + ") || ("
        + executionIdentityCel()
        + ") || ("
        + brokerMintedRbacCel()
        + ") || ("
        + clusterComponentCel()
        + ") || ("
        + sebEventCel()
        + ") || ("
        + workloadExemptionCel()
        + ") || ("
        + breakGlassCel()
        + ")";
  }

  /**
   * A CEL expression that holds exactly when the broker's own account asks for one of the writes it
   * may make outside protected namespaces ({@link BrokerConfinement}).
   */
  public String brokerConfinedCel() {
    return BrokerConfinement.cel(this);
  }

  /** A CEL expression that holds when the request removes a namespace's protection. */
  public String unprotectsCel() {
    return ProtectionLabel.unprotectsCel();
  }

  /** A CEL expression that holds when the user is in a protection-admin group. */
  public String protectionAdminCel() {
    return Cel.inGroups(protectionAdminGroups);
  }

  /** A CEL expression that holds when the request comes from the broker's user name. */
  public String brokerUserCel() {
    return Cel.userIs(brokerUser());
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
    conditions.put("not-a-seb-kind", "!(" + SEB_KIND_CEL + ")");
    conditions.put("not-an-execution-identity", "!(" + executionIdentityCel() + ")");
    conditions.put("not-the-brokers-minted-rbac", "!(" + brokerMintedRbacCel() + ")");
    conditions.put("not-a-cluster-component", "!(" + clusterComponentCel() + ")");
    return conditions;
  }

  /**
   * The {@code matchConditions} of the guard's webhook for the broker's own writes outside
   * protected namespaces: called for the broker's user name only.
   */
  public java.util.Map<String, String> brokerGuardMatchConditions() {
    return java.util.Map.of("the-brokers-user", brokerUserCel());
  }

  /**
   * The {@code matchConditions} of the guard's webhook for the protection label: called only for a
   * namespace update or delete that removes protection.
   */
  public java.util.Map<String, String> labelGuardMatchConditions() {
    return java.util.Map.of("removes-protection", unprotectsCel());
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
        "not-a-record-by-the-broker",
        "!(request.resource.resource == 'executionrecords' && request.operation == 'CREATE' && "
            + Cel.serviceAccountToken()
            + " && request.userInfo.username == '"
            + quotable(brokerUser())
            + "')");
    conditions.putAll(new SebKindsPolicyCel(this).statusMatchCondition());
    return conditions;
  }

  private static String quotable(String value) {
    return Cel.quotable(value);
  }
}
