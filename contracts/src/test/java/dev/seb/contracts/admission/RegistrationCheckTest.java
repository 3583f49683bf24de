package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.admission.RegistrationCheck.Registered;
import dev.seb.contracts.admission.RegistrationCheck.Rule;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistrationCheckTest {

  private static final Set<String> OPS = Set.of("CREATE", "UPDATE", "DELETE");

  /** A generated webhook as the readiness check reads it back. */
  static Registered registered(ValidatingWebhook webhook, String selector) {
    Map<String, String> conditions = new LinkedHashMap<>();
    webhook.getMatchConditions().forEach(c -> conditions.put(c.getName(), c.getExpression()));
    return new Registered(
        conditions,
        webhook.getRules().stream()
            .map(
                r ->
                    new Rule(
                        Set.copyOf(r.getApiGroups()),
                        Set.copyOf(r.getResources()),
                        Set.copyOf(r.getOperations()),
                        r.getScope()))
            .toList(),
        selector);
  }

  private static Registered protectedFor(AdmissionPolicy policy) {
    return registered(
        BoundaryRegistrations.protectedWebhook(
            policy, path -> new WebhookClientConfigBuilder().withUrl("https://x/" + path).build()),
        RegistrationCheck.PROTECTED_SELECTOR);
  }

  private static AdmissionPolicy withExemptUsers(List<String> users) {
    AdmissionPolicy d = AdmissionPolicy.defaults();
    return new AdmissionPolicy(
        d.sebNamespace(),
        d.brokerServiceAccount(),
        d.executionPrefix(),
        users,
        d.exemptGroups(),
        d.workloadExemptions(),
        d.breakGlassGroups(),
        d.adminGroups(),
        d.retentionGroups(),
        d.protectionAdminGroups());
  }

  @Test
  void theRegistrationsGeneratedForThePolicy_haveNoProblem() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    assertThat(RegistrationCheck.protectedProblems(policy, protectedFor(policy))).isEmpty();
    assertThat(
            RegistrationCheck.kindsProblems(
                policy,
                new Registered(
                    policy.sebKindsMatchConditions(),
                    List.of(new Rule(Set.of("seb.dev"), Set.of("*", "*/status"), OPS, null)))))
        .isEmpty();
    var guard =
        BoundaryRegistrations.guardWebhooks(
            policy, path -> new WebhookClientConfigBuilder().withUrl("https://x/" + path).build());
    assertThat(
            RegistrationCheck.guardProblems(
                policy,
                RegistrationCheck.BROKER_GUARD,
                registered(guard.get(0), RegistrationCheck.UNPROTECTED_SELECTOR)))
        .isEmpty();
    assertThat(
            RegistrationCheck.guardProblems(
                policy, RegistrationCheck.LABEL_GUARD, registered(guard.get(1), "")))
        .isEmpty();
  }

  @Test
  void aKindsRegistrationWithoutStatus_leavesStatusWritesToAnyone() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    assertThat(
            RegistrationCheck.kindsProblems(
                policy,
                new Registered(
                    policy.sebKindsMatchConditions(),
                    List.of(new Rule(Set.of("seb.dev"), Set.of("*"), OPS, null)))))
        .containsExactly(
            "seb-kinds does not send UPDATE of every seb.dev kind's status to the webhook");
  }

  @Test
  void defaultConditions_underAWebhookWithFewerExemptUsers_areABypass() {
    AdmissionPolicy narrowed = withExemptUsers(List.of("system:kube-controller-manager"));
    List<String> problems =
        RegistrationCheck.protectedProblems(narrowed, protectedFor(AdmissionPolicy.defaults()));
    assertThat(problems)
        .singleElement()
        .asString()
        .contains("seb-protected match condition not-a-cluster-component")
        .contains("differs");
  }

  @Test
  void conditionsForAnotherSebNamespace_areABypass() {
    AdmissionPolicy d = AdmissionPolicy.defaults();
    AdmissionPolicy elsewhere =
        new AdmissionPolicy(
            "seb",
            d.brokerServiceAccount(),
            d.executionPrefix(),
            d.exemptUsers(),
            d.exemptGroups(),
            d.workloadExemptions(),
            d.breakGlassGroups(),
            d.adminGroups(),
            d.retentionGroups(),
            d.protectionAdminGroups());
    assertThat(RegistrationCheck.protectedProblems(elsewhere, protectedFor(d))).isNotEmpty();
    assertThat(
            RegistrationCheck.kindsProblems(
                elsewhere,
                new Registered(
                    d.sebKindsMatchConditions(),
                    List.of(new Rule(Set.of("seb.dev"), Set.of("*"), OPS, null)))))
        .isNotEmpty();
  }

  @Test
  void fewerConditions_onlyCallTheWebhookMoreOften() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    Map<String, String> one = new LinkedHashMap<>();
    var first = policy.webhookMatchConditions().entrySet().iterator().next();
    one.put(first.getKey(), first.getValue());
    assertThat(
            RegistrationCheck.protectedProblems(
                policy, new Registered(one, protectedFor(policy).rules())))
        .isEmpty();
    assertThat(
            RegistrationCheck.protectedProblems(
                policy, new Registered(Map.of(), protectedFor(policy).rules())))
        .isEmpty();
  }

  @Test
  void aConditionOfAnyOtherName_isABypass() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    Map<String, String> conditions = new LinkedHashMap<>(policy.webhookMatchConditions());
    conditions.put("skip-friends", "request.userInfo.username != 'mallory'");
    assertThat(
            RegistrationCheck.protectedProblems(
                policy, new Registered(conditions, protectedFor(policy).rules())))
        .singleElement()
        .asString()
        .contains("skip-friends is not one this webhook's policy produces");
  }

  @Test
  void aListOfKinds_insteadOfEverything_isNamed_perOperation() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    List<Rule> kinds =
        List.of(
            new Rule(Set.of("apps"), Set.of("deployments", "deployments/scale"), OPS, null),
            new Rule(Set.of(""), Set.of("configmaps", "pods"), OPS, null));
    assertThat(
            RegistrationCheck.protectedProblems(
                policy, new Registered(policy.webhookMatchConditions(), kinds)))
        .hasSize(8)
        .contains(
            "seb-protected does not send CONNECT of every subresource in every group to the"
                + " webhook: protected namespaces are default-deny",
            "seb-protected does not send CREATE of every resource in every group to the webhook:"
                + " protected namespaces are default-deny");
  }

  @Test
  void everythingButConnect_orOnlyClusterScope_isAProblem() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    assertThat(
            RegistrationCheck.protectedProblems(
                policy,
                new Registered(Map.of(), List.of(new Rule(Set.of("*"), Set.of("*/*"), OPS, "*")))))
        .hasSize(2)
        .allMatch(p -> p.contains("CONNECT"));
    assertThat(
            RegistrationCheck.protectedProblems(
                policy,
                new Registered(
                    Map.of(),
                    List.of(new Rule(Set.of("*"), Set.of("*/*"), Set.of("*"), "Cluster")))))
        .hasSize(8);
  }

  @Test
  void wildcardRules_coverEverything() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    assertThat(
            RegistrationCheck.protectedProblems(
                policy,
                new Registered(
                    Map.of(), List.of(new Rule(Set.of("*"), Set.of("*/*"), Set.of("*"), null)))))
        .isEmpty();
    assertThat(
            RegistrationCheck.kindsProblems(
                policy,
                new Registered(
                    Map.of(),
                    List.of(new Rule(Set.of("seb.dev"), Set.of("mutationproposals"), OPS, null)))))
        .hasSize(4);
  }

  @Test
  void aSelectorOtherThanTheProtectionLabel_isABypass() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    Registered generated = protectedFor(policy);
    assertThat(
            RegistrationCheck.protectedProblems(
                policy,
                new Registered(generated.matchConditions(), generated.rules(), "team=payments")))
        .singleElement()
        .asString()
        .contains("selects namespaces by 'team=payments'");
    assertThat(
            RegistrationCheck.protectedProblems(
                policy, new Registered(generated.matchConditions(), generated.rules(), "")))
        .isEmpty();
  }

  @Test
  void aGuardThatMissesClusterRolesOrNamespaceDeletes_isNamed() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    assertThat(
            brokerGuardProblems(
                new Rule(
                    Set.of("rbac.authorization.k8s.io"),
                    Set.of("roles", "rolebindings"),
                    OPS,
                    "Namespaced"),
                new Rule(
                    Set.of(""),
                    Set.of("serviceaccounts", "serviceaccounts/token", "secrets", "configmaps"),
                    OPS,
                    "*"),
                new Rule(Set.of("coordination.k8s.io"), Set.of("leases"), OPS, "*")))
        .hasSize(6)
        .allMatch(p -> p.contains("clusterrole"));
    // nor the broker's ConfigMaps and Leases, which it may write only by name
    assertThat(
            brokerGuardProblems(
                new Rule(
                    Set.of("rbac.authorization.k8s.io"),
                    Set.of("roles", "rolebindings", "clusterroles", "clusterrolebindings"),
                    OPS,
                    "*"),
                new Rule(
                    Set.of(""),
                    Set.of("serviceaccounts", "serviceaccounts/token", "secrets"),
                    OPS,
                    "*")))
        .hasSize(6)
        .allMatch(p -> p.contains("/configmaps") || p.contains("coordination.k8s.io/leases"));
    assertThat(
            RegistrationCheck.guardProblems(
                policy,
                RegistrationCheck.LABEL_GUARD,
                new Registered(
                    policy.labelGuardMatchConditions(),
                    List.of(new Rule(Set.of(""), Set.of("namespaces"), Set.of("UPDATE"), null)),
                    "")))
        .containsExactly(
            "seb-guard does not send DELETE of /namespaces to the webhook",
            // their handlers keep the labels of the request body too
            "seb-guard does not send UPDATE of /namespaces/status to the webhook",
            "seb-guard does not send UPDATE of /namespaces/finalize to the webhook");
    assertThat(
            RegistrationCheck.guardProblems(
                policy,
                RegistrationCheck.LABEL_GUARD,
                new Registered(
                    policy.labelGuardMatchConditions(),
                    List.of(new Rule(Set.of(""), Set.of("namespaces", "namespaces/*"), OPS, null)),
                    "seb.dev/protected=true")))
        .singleElement()
        .asString()
        .contains("not all of them");
  }

  /** What the check finds wrong with a broker guard registered with {@code rules}. */
  private static List<String> brokerGuardProblems(Rule... rules) {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    return RegistrationCheck.guardProblems(
        policy,
        RegistrationCheck.BROKER_GUARD,
        new Registered(
            policy.brokerGuardMatchConditions(),
            List.of(rules),
            RegistrationCheck.UNPROTECTED_SELECTOR));
  }
}
