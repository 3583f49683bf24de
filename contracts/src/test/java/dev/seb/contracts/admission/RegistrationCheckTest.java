package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.admission.RegistrationCheck.Registered;
import dev.seb.contracts.admission.RegistrationCheck.Rule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistrationCheckTest {

  private static final Set<String> OPS = Set.of("CREATE", "UPDATE", "DELETE");

  /** The registration as generated for a policy: its conditions, one rule per protected kind. */
  private static Registered protectedFor(AdmissionPolicy policy) {
    return new Registered(
        policy.webhookMatchConditions(),
        policy.protectedResources().stream()
            .map(
                gr ->
                    new Rule(
                        Set.of(gr.substring(0, gr.indexOf('/'))),
                        Set.of(gr.substring(gr.indexOf('/') + 1)),
                        OPS))
            .toList());
  }

  private static AdmissionPolicy withExemptUsers(List<String> users) {
    AdmissionPolicy d = AdmissionPolicy.defaults();
    return new AdmissionPolicy(
        d.sebNamespace(),
        d.brokerServiceAccount(),
        d.executionPrefix(),
        d.protectedResources(),
        users,
        d.exemptGroups(),
        d.breakGlassGroups(),
        d.adminGroups(),
        d.retentionGroups());
  }

  @Test
  void theRegistrationGeneratedForThePolicy_hasNoProblem() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    assertThat(RegistrationCheck.protectedProblems(policy, protectedFor(policy))).isEmpty();
    assertThat(
            RegistrationCheck.kindsProblems(
                policy,
                new Registered(
                    policy.sebKindsMatchConditions(),
                    List.of(new Rule(Set.of("seb.dev"), Set.of("*", "*/status"), OPS)))))
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
                    List.of(new Rule(Set.of("seb.dev"), Set.of("*"), OPS)))))
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
            d.protectedResources(),
            d.exemptUsers(),
            d.exemptGroups(),
            d.breakGlassGroups(),
            d.adminGroups(),
            d.retentionGroups());
    assertThat(RegistrationCheck.protectedProblems(elsewhere, protectedFor(d))).isNotEmpty();
    assertThat(
            RegistrationCheck.kindsProblems(
                elsewhere,
                new Registered(
                    d.sebKindsMatchConditions(),
                    List.of(new Rule(Set.of("seb.dev"), Set.of("*"), OPS)))))
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
  void aProtectedResourceTheRulesDoNotSend_isNamed_perOperation() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    List<Rule> rules =
        protectedFor(policy).rules().stream()
            .filter(r -> !r.resources().contains("secrets"))
            .map(
                r ->
                    r.resources().contains("configmaps")
                        ? new Rule(r.apiGroups(), r.resources(), Set.of("CREATE", "UPDATE"))
                        : r)
            .toList();
    assertThat(
            RegistrationCheck.protectedProblems(
                policy, new Registered(policy.webhookMatchConditions(), rules)))
        .containsExactlyInAnyOrder(
            "seb-protected does not send DELETE of protected resource /configmaps to the webhook",
            "seb-protected does not send CREATE of protected resource /secrets to the webhook",
            "seb-protected does not send UPDATE of protected resource /secrets to the webhook",
            "seb-protected does not send DELETE of protected resource /secrets to the webhook");
  }

  @Test
  void wildcardRules_coverEverything() {
    AdmissionPolicy policy = AdmissionPolicy.defaults();
    assertThat(
            RegistrationCheck.protectedProblems(
                policy,
                new Registered(Map.of(), List.of(new Rule(Set.of("*"), Set.of("*"), Set.of("*"))))))
        .isEmpty();
    assertThat(
            RegistrationCheck.kindsProblems(
                policy,
                new Registered(
                    Map.of(),
                    List.of(new Rule(Set.of("seb.dev"), Set.of("mutationproposals"), OPS)))))
        .hasSize(4);
  }
}
