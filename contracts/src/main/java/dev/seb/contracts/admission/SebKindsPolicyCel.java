package dev.seb.contracts.admission;

import dev.seb.contracts.SebKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The rules for seb's own kinds that CEL can express, for a ValidatingAdmissionPolicy that holds
 * without the webhook: a Mandate is written only by the principal it names or an admin; no
 * ServiceAccount writes Mandates, ExecutionContracts or TrustAnchors (unless in an admin group);
 * ExecutionRecords are created only by the broker and changed or deleted only by the retention
 * groups; a new proposal carries its creator's stamp and the stamp never changes; the status of
 * every seb kind is written only by the component that owns it ({@link StatusWrites}). Whether an
 * amendment only narrows a mandate, and whether a revoked mandate stays unchanged, are the
 * webhook's alone ({@link MandateWrites}); the CRD's transition rules keep principal, agent, parent
 * and revocation in place whatever else is down.
 */
public final class SebKindsPolicyCel {

  /** One validation: its name, the CEL that must hold, and the CEL of the message otherwise. */
  public record Validation(String name, String expression, String messageExpression) {}

  private static final String USER = "request.userInfo.username";
  private static final String HAS_USER = "has(request.userInfo.username)";
  private static final String STAMP = SebKeys.SUBMITTED_BY;

  private final AdmissionPolicy policy;

  /** The CEL form of the policy. */
  public SebKindsPolicyCel(AdmissionPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** Holds for a write to a status subresource. */
  public static String isStatus() {
    return "(has(request.subResource) && request.subResource == 'status')";
  }

  /**
   * Holds when the request is a status write by the one component that owns that kind's status, as
   * a real ServiceAccount token.
   */
  public String statusByItsComponent() {
    return "("
        + isStatus()
        + " && ("
        + java.util.Arrays.stream(StatusWrites.Component.values())
            .map(
                c ->
                    "(request.resource.resource in "
                        + Cel.list(
                            StatusWrites.WRITERS.entrySet().stream()
                                .filter(e -> e.getValue() == c)
                                .map(Map.Entry::getKey)
                                .collect(Collectors.toSet()))
                        + " && "
                        + serviceAccount(StatusWrites.user(policy, c))
                        + ")")
            .collect(Collectors.joining(" || "))
        + "))";
  }

  /** The validations, by name, in order. */
  public List<Validation> validations() {
    String status = isStatus();
    String admin = Cel.inGroups(policy.adminGroups());
    String stampOf =
        "(has(%1$s.metadata.annotations) && '"
            + STAMP
            + "' in %1$s.metadata.annotations"
            + " ? %1$s.metadata.annotations['"
            + STAMP
            + "'] : '')";
    return List.of(
        new Validation(
            "status-only-by-seb-components",
            "!" + status + " || " + statusByItsComponent(),
            "'seb: ' + "
                + user()
                + " + ' may not write ' + request.resource.resource"
                + " + '/status: the status of seb kinds is written only by seb components ("
                + Cel.quotable(policy.brokerUser())
                + " for proposals and records, "
                + Cel.quotable(policy.operatorUser())
                + " for mandates, contracts and trust anchors)'"),
        new Validation(
            "no-service-account-grants-certifies-or-trusts",
            status
                + " || !(request.resource.resource in ['executioncontracts', 'mandates', 'trustanchors'])"
                + " || !("
                + HAS_USER
                + " && "
                + USER
                + ".startsWith('system:serviceaccount:')) || "
                + admin,
            "'seb: ' + "
                + user()
                + " + ' may not ' + request.operation.lowerAscii() + ' '"
                + " + request.resource.resource + ': agents cannot grant, certify or trust"
                + " themselves; ask a principal or an admin'"),
        new Validation(
            "mandate-only-by-its-principal-or-an-admin",
            status
                + " || request.resource.resource != 'mandates' || "
                + admin
                + " || ("
                + HAS_USER
                + " && (request.operation == 'CREATE' ? "
                + principalIsUser("object")
                + " : "
                + principalIsUser("oldObject")
                + "))",
            "'seb: ' + "
                + user()
                + " + ' may not ' + request.operation.lowerAscii()"
                + " + ' Mandate ' + request.namespace + '/' + request.name + ': a mandate is"
                + " written only by the principal it names (spec.principal.subject) or an admin'"),
        new Validation(
            "proposal-withdrawn-only-by-its-submitter",
            status
                + " || request.resource.resource != 'mutationproposals'"
                + " || request.operation != 'DELETE' || "
                + admin
                + " || ("
                + policy.clusterComponentCel()
                + ") || ("
                + HAS_USER
                + " && "
                + stampOf.formatted("oldObject")
                + " == "
                + USER
                + ")",
            "'seb: ' + "
                + user()
                + " + ' may not delete proposal ' + request.namespace + '/' + request.name"
                + " + ': a proposal is withdrawn only by its submitter or an admin'"),
        new Validation(
            "trust-anchors-only-by-admins",
            status + " || request.resource.resource != 'trustanchors' || " + admin,
            "'seb: ' + "
                + user()
                + " + ' may not ' + request.operation.lowerAscii() + ' trustanchors: a"
                + " TrustAnchor is the root of trust of seb, written only by the admin groups'"),
        new Validation(
            "revoked-mandate-deleted-only-by-an-admin",
            status
                + " || request.resource.resource != 'mandates' || request.operation != 'DELETE' || "
                + admin
                + " || !(has(oldObject.spec.revocation) || (has(oldObject.status)"
                + " && has(oldObject.status.phase) && oldObject.status.phase == 'Revoked'))",
            "'seb: ' + "
                + user()
                + " + ' may not delete Mandate ' + request.namespace + '/' + request.name"
                + " + ': it is revoked, and a revoked mandate is deleted only by an admin'"),
        new Validation(
            "records-only-by-the-broker",
            status
                + " || request.resource.resource != 'executionrecords' || (request.operation == 'CREATE' ? "
                + serviceAccount(policy.brokerUser())
                + " : "
                + Cel.inGroups(policy.retentionGroups())
                + ")",
            "'seb: only the broker ("
                + Cel.quotable(policy.brokerUser())
                + ") writes"
                + " ExecutionRecords, and only the retention groups change or delete them'"),
        new Validation(
            "proposal-stamped-with-its-submitter",
            status
                + " || request.resource.resource != 'mutationproposals'"
                + " || (request.operation == 'CREATE' ? ("
                + HAS_USER
                + " && (!request.userInfo.username.startsWith('system:serviceaccount:') || "
                + Cel.credentialBound()
                + ") && "
                + stampOf.formatted("object")
                + " == "
                + USER
                + ") : request.operation != 'UPDATE' || "
                + stampOf.formatted("object")
                + " == "
                + stampOf.formatted("oldObject")
                + ")",
            "'seb: metadata.annotations["
                + STAMP
                + "] must be the creator of the proposal and"
                + " never changes'"));
  }

  private static String principalIsUser(String object) {
    return "("
        + object
        + " != null && has("
        + object
        + ".spec) && has("
        + object
        + ".spec.principal) && has("
        + object
        + ".spec.principal.subject) && "
        + object
        + ".spec.principal.subject == "
        + USER
        + ")";
  }

  private static String user() {
    return "(" + HAS_USER + " ? " + USER + " : 'anonymous')";
  }

  private static String serviceAccount(String user) {
    return "(" + Cel.serviceAccountToken() + " && " + USER + " == '" + Cel.quotable(user) + "')";
  }

  /** The match conditions of the seb-kinds registration built from these, by name. */
  Map<String, String> statusMatchCondition() {
    Map<String, String> conditions = new LinkedHashMap<>();
    conditions.put("not-a-status-write-by-its-component", "!" + statusByItsComponent());
    return conditions;
  }
}
