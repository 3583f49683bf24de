package dev.seb.contracts.admission;

import dev.seb.contracts.SebKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the webhook's registrations, as the API server holds them, leave nothing out that the
 * webhook's own policy would decide. Every match condition the API server evaluates lets it skip
 * the webhook; a condition written for another policy (the defaults, while the webhook was
 * configured with fewer exempt users or another namespace) would skip requests this webhook denies.
 * So every registered condition must be one the policy itself produces (fewer conditions only call
 * the webhook more often); the protected registration's rules must send every operation on every
 * resource and subresource of every group in protected namespaces; the guard's webhooks must send
 * the broker's RBAC, ServiceAccount and Secret writes outside them and every Namespace update and
 * delete; and no namespaceSelector may leave out a namespace the webhook has to decide for.
 */
public final class RegistrationCheck {

  /** The registration guarding protected namespaces, and its webhook. */
  public static final String PROTECTED = "seb-protected";

  /** The registration guarding seb's own kinds, and its webhook. */
  public static final String KINDS = "seb-kinds";

  /**
   * The registration guarding the broker's own writes outside protected namespaces and the
   * protection label.
   */
  public static final String GUARD = "seb-guard";

  /** The guard's webhook for the broker's own writes. */
  public static final String BROKER_GUARD = "broker.guard.seb.dev";

  /** The guard's webhook for the protection label. */
  public static final String LABEL_GUARD = "namespaces.guard.seb.dev";

  private static final List<String> OPERATIONS = List.of("CREATE", "UPDATE", "DELETE");
  private static final List<String> PROTECTED_OPERATIONS =
      List.of("CREATE", "UPDATE", "DELETE", "CONNECT");

  private RegistrationCheck() {}

  /**
   * One rule of a registered webhook.
   *
   * @param scope {@code *}, {@code Namespaced} or {@code Cluster} (absent means {@code *})
   */
  public record Rule(
      Set<String> apiGroups, Set<String> resources, Set<String> operations, String scope) {

    boolean covers(String group, String resource, String operation, String wantedScope) {
      boolean subresource = resource.contains("/");
      boolean resources =
          this.resources.contains(resource)
              || this.resources.contains("*/*")
              || (!subresource && this.resources.contains("*"))
              || (subresource && this.resources.contains("*/*"))
              || (subresource
                  && this.resources.contains(resource.substring(0, resource.indexOf('/')) + "/*"));
      return (apiGroups.contains("*") || apiGroups.contains(group))
          && resources
          && (operations.contains("*") || operations.contains(operation))
          && (scope == null || "*".equals(scope) || scope.equals(wantedScope));
    }
  }

  /**
   * A registered webhook: its match conditions by name, its rules, and its namespaceSelector in
   * label-selector syntax ({@code ""}: none; {@code seb.dev/protected=true}; {@code
   * seb.dev/protected notin (true)}).
   */
  public record Registered(Map<String, String> matchConditions, List<Rule> rules, String selector) {

    /** A webhook without namespaceSelector. */
    public Registered(Map<String, String> matchConditions, List<Rule> rules) {
      this(matchConditions, rules, "");
    }
  }

  /** The protected registration's namespaceSelector. */
  public static final String PROTECTED_SELECTOR = SebKeys.PROTECTED + "=true";

  /** The broker guard's namespaceSelector: every namespace that is not protected. */
  public static final String UNPROTECTED_SELECTOR = SebKeys.PROTECTED + " notin (true)";

  /**
   * What is wrong with the protected-namespace registration; empty when nothing is. It must send
   * every operation on every resource and subresource of every group (a resource installed later
   * included) in every protected namespace.
   */
  public static List<String> protectedProblems(AdmissionPolicy policy, Registered registered) {
    List<String> problems =
        conditionProblems(PROTECTED, policy.webhookMatchConditions(), registered);
    selectorProblem(problems, PROTECTED, registered, PROTECTED_SELECTOR);
    for (String resource : List.of("any.group/anything", "any.group/anything/subresource")) {
      String group = resource.substring(0, resource.indexOf('/'));
      String rest = resource.substring(resource.indexOf('/') + 1);
      for (String operation : PROTECTED_OPERATIONS) {
        boolean covered =
            registered.rules().stream()
                .anyMatch(
                    r ->
                        r.apiGroups().contains("*")
                            && r.covers(group, rest, operation, "Namespaced"));
        if (!covered) {
          problems.add(
              PROTECTED
                  + " does not send "
                  + operation
                  + " of every "
                  + (rest.contains("/") ? "subresource" : "resource")
                  + " in every group to the webhook: protected namespaces are default-deny");
        }
      }
    }
    return problems;
  }

  /** What is wrong with the seb-kinds registration; empty when nothing is. */
  public static List<String> kindsProblems(AdmissionPolicy policy, Registered registered) {
    List<String> problems = conditionProblems(KINDS, policy.sebKindsMatchConditions(), registered);
    for (String operation : OPERATIONS) {
      if (registered.rules().stream()
          .noneMatch(r -> r.covers("seb.dev", "anything", operation, "Namespaced"))) {
        problems.add(KINDS + " does not send " + operation + " of every seb.dev kind");
      }
    }
    // "*" matches no subresource: status writes are sent only with "*/status" (or "*/*")
    if (registered.rules().stream()
        .noneMatch(
            r ->
                (r.apiGroups().contains("*") || r.apiGroups().contains("seb.dev"))
                    && (r.resources().contains("*/status") || r.resources().contains("*/*"))
                    && (r.operations().contains("*") || r.operations().contains("UPDATE")))) {
      problems.add(KINDS + " does not send UPDATE of every seb.dev kind's status to the webhook");
    }
    return problems;
  }

  /** What is wrong with one webhook of the guard registration; empty when nothing is. */
  public static List<String> guardProblems(
      AdmissionPolicy policy, String webhook, Registered registered) {
    List<String> problems = new ArrayList<>();
    if (BROKER_GUARD.equals(webhook)) {
      problems.addAll(conditionProblems(GUARD, policy.brokerGuardMatchConditions(), registered));
      selectorProblem(problems, GUARD, registered, UNPROTECTED_SELECTOR);
      for (String resource : BrokerConfinement.RBAC_RESOURCES) {
        String scope = resource.startsWith("cluster") ? "Cluster" : "Namespaced";
        requireCovered(problems, registered, MintedRbac.GROUP, resource, OPERATIONS, scope);
      }
      for (String resource : BrokerConfinement.CORE_RESOURCES) {
        requireCovered(problems, registered, "", resource, OPERATIONS, "Namespaced");
      }
      for (String resource : BrokerConfinement.LEASE_RESOURCES) {
        requireCovered(
            problems,
            registered,
            BrokerConfinement.LEASE_GROUP,
            resource,
            OPERATIONS,
            "Namespaced");
      }
    } else if (LABEL_GUARD.equals(webhook)) {
      problems.addAll(conditionProblems(GUARD, policy.labelGuardMatchConditions(), registered));
      selectorProblem(problems, GUARD, registered, "");
      requireCovered(
          problems, registered, "", "namespaces", List.of("UPDATE", "DELETE"), "Cluster");
      for (String resource :
          ProtectionLabel.RESOURCES.subList(1, ProtectionLabel.RESOURCES.size())) {
        requireCovered(problems, registered, "", resource, List.of("UPDATE"), "Cluster");
      }
    }
    return problems;
  }

  private static void selectorProblem(
      List<String> problems, String registration, Registered registered, String wanted) {
    if (!registered.selector().isEmpty() && !registered.selector().equals(wanted)) {
      problems.add(
          registration
              + " selects namespaces by '"
              + registered.selector()
              + "'"
              + (wanted.isEmpty() ? ", not all of them" : " instead of '" + wanted + "'")
              + ": requests it must decide would skip the webhook");
    }
  }

  private static void requireCovered(
      List<String> problems,
      Registered registered,
      String group,
      String resource,
      List<String> operations,
      String scope) {
    for (String operation : operations) {
      if (registered.rules().stream().noneMatch(r -> r.covers(group, resource, operation, scope))) {
        problems.add(
            GUARD
                + " does not send "
                + operation
                + " of "
                + group
                + "/"
                + resource
                + " to the webhook");
      }
    }
  }

  private static List<String> conditionProblems(
      String registration, Map<String, String> expected, Registered registered) {
    List<String> problems = new ArrayList<>();
    registered
        .matchConditions()
        .forEach(
            (name, expression) -> {
              if (!expression.equals(expected.get(name))) {
                problems.add(
                    registration
                        + " match condition "
                        + name
                        + (expected.containsKey(name)
                            ? " differs from what this webhook's policy produces"
                            : " is not one this webhook's policy produces")
                        + ": the API server would skip requests the webhook decides");
              }
            });
    return problems;
  }
}
