package dev.seb.contracts.admission;

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
 * the webhook more often), and the protected registration's rules must cover every protected
 * resource for CREATE, UPDATE and DELETE.
 */
public final class RegistrationCheck {

  /** The registration guarding protected namespaces, and its webhook. */
  public static final String PROTECTED = "seb-protected";

  /** The registration guarding seb's own kinds, and its webhook. */
  public static final String KINDS = "seb-kinds";

  private static final List<String> OPERATIONS = List.of("CREATE", "UPDATE", "DELETE");

  private RegistrationCheck() {}

  /** One rule of a registered webhook. */
  public record Rule(Set<String> apiGroups, Set<String> resources, Set<String> operations) {

    boolean covers(String group, String resource, String operation) {
      return (apiGroups.contains("*") || apiGroups.contains(group))
          && (resources.contains("*") || resources.contains(resource))
          && (operations.contains("*") || operations.contains(operation));
    }
  }

  /** A registered webhook: its match conditions by name, and its rules. */
  public record Registered(Map<String, String> matchConditions, List<Rule> rules) {}

  /** What is wrong with the protected-namespace registration; empty when nothing is. */
  public static List<String> protectedProblems(AdmissionPolicy policy, Registered registered) {
    List<String> problems =
        conditionProblems(PROTECTED, policy.webhookMatchConditions(), registered);
    for (String groupResource : new java.util.TreeSet<>(policy.protectedResources())) {
      int slash = groupResource.indexOf('/');
      String group = groupResource.substring(0, slash);
      String resource = groupResource.substring(slash + 1);
      for (String operation : OPERATIONS) {
        if (registered.rules().stream().noneMatch(r -> r.covers(group, resource, operation))) {
          problems.add(
              PROTECTED
                  + " does not send "
                  + operation
                  + " of protected resource "
                  + groupResource
                  + " to the webhook");
        }
      }
    }
    return problems;
  }

  /** What is wrong with the seb-kinds registration; empty when nothing is. */
  public static List<String> kindsProblems(AdmissionPolicy policy, Registered registered) {
    List<String> problems = conditionProblems(KINDS, policy.sebKindsMatchConditions(), registered);
    for (String operation : OPERATIONS) {
      if (registered.rules().stream().noneMatch(r -> r.covers("seb.dev", "*", operation))) {
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
