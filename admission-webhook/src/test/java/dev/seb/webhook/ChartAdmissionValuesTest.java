package dev.seb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.contracts.admission.BoundaryPolicies;
import dev.seb.contracts.admission.SebKindsPolicyCel;
import dev.seb.contracts.admission.WorkloadExemption;
import dev.seb.webhook.chart.AdmissionValues;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's admission values reach both layers as one policy: for each set of values, the policy
 * the webhook's {@link AdmissionConfig} builds from the env {@code seb.admission.env} renders is
 * the one the values describe, and the rendered registrations' match conditions and the rendered
 * ValidatingAdmissionPolicies are exactly what seb's generators give for that policy.
 */
class ChartAdmissionValuesTest {

  /** A custom installation: other groups, users, two workload exemptions, no retention group. */
  static final String CUSTOM =
      """
      admission:
        breakGlassGroups: ["ops:break-glass", "ops:oncall"]
        adminGroups: ["ops:seb-admins"]
        retentionGroups: []
        protectionAdminGroups: ["ops:protection"]
        exemptUsers: ["system:kube-scheduler", "system:serviceaccount:kube-system:*", "ops-controller"]
        workloadExemptions:
          - shop/elector=coordination.k8s.io/leases,/events
          - shop/widgets=example.com/widgets/status
      """;

  /** The policy {@link #CUSTOM} describes, released into {@code guard}. */
  static final AdmissionPolicy CUSTOM_POLICY =
      new AdmissionPolicy(
          "guard",
          "seb-broker",
          "seb-exec-",
          List.of("system:kube-scheduler", "system:serviceaccount:kube-system:*", "ops-controller"),
          Set.of("system:nodes"),
          List.of(
              WorkloadExemption.parse("shop/elector=coordination.k8s.io/leases,/events"),
              WorkloadExemption.parse("shop/widgets=example.com/widgets/status")),
          Set.of("ops:break-glass", "ops:oncall"),
          Set.of("ops:seb-admins"),
          Set.of(),
          Set.of("ops:protection"),
          "seb-operator");

  @TempDir Path work;

  @Test
  void theDefaults_areSebsDefaultPolicy() {
    AdmissionValues chart = AdmissionValues.of(work, "seb-system", "");
    AdmissionPolicy policy = policyOf(chart.env("admission-webhook"));
    assertThat(policy).isEqualTo(AdmissionPolicy.defaults());
    assertRendersExactly(chart, policy);
  }

  @Test
  void customValues_inAnotherNamespace_reachBothLayers() {
    AdmissionValues chart = AdmissionValues.of(work, "guard", CUSTOM);
    AdmissionPolicy policy = policyOf(chart.env("admission-webhook"));
    assertThat(policy).isEqualTo(CUSTOM_POLICY);
    assertRendersExactly(chart, policy);
    assertThat(chart.env("broker"))
        .containsExactly(
            Map.entry("SEB_BROKER_NAMESPACE", "guard"),
            Map.entry(
                "SEB_BROKER_NOTICE_CALLER", "system:serviceaccount:guard:seb-admission-webhook"));
    assertThat(chart.env("operator")).containsExactly(Map.entry("SEB_OPERATOR_NAMESPACE", "guard"));
  }

  @Test
  void emptyBreakGlass_isNoBreakGlass_notTheDefault() {
    AdmissionValues chart =
        AdmissionValues.of(work, "seb-system", "admission:\n  breakGlassGroups: []\n");
    AdmissionPolicy policy = policyOf(chart.env("admission-webhook"));
    assertThat(policy.breakGlassGroups()).isEmpty();
    assertThat(policy.adminGroups()).isEqualTo(AdmissionPolicy.defaults().adminGroups());
    assertRendersExactly(chart, policy);
    assertThat(chart.template(AdmissionValues.TEMPLATES).output()).doesNotContain("break-glass'");
  }

  /** The policy the webhook's configuration builds from this env. */
  static AdmissionPolicy policyOf(Map<String, String> env) {
    assertThat(env)
        .containsKeys(
            "SEB_ADMISSION_SEB_NAMESPACE",
            "SEB_ADMISSION_BREAK_GLASS_GROUPS",
            "SEB_ADMISSION_ADMIN_GROUPS",
            "SEB_ADMISSION_RETENTION_GROUPS",
            "SEB_ADMISSION_PROTECTION_ADMIN_GROUPS",
            "SEB_ADMISSION_EXEMPT_USERS",
            "SEB_ADMISSION_WORKLOAD_EXEMPTIONS",
            "SEB_ADMISSION_DEFAULTS_FOR_UNSET_LISTS");
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withSources(new EnvConfigSource(env, 300))
            .withMapping(AdmissionConfig.class)
            .build();
    return new AdmissionConfig.Producer().policy(config.getConfigMapping(AdmissionConfig.class));
  }

  /** The rendered match conditions and policies are the generators' for this policy. */
  static void assertRendersExactly(AdmissionValues chart, AdmissionPolicy policy) {
    List<HasMetadata> objects = chart.objects();
    Map<String, String> protectedConditions = conditions(webhook(objects, "protected.seb.dev"));
    assertThat(protectedConditions).containsExactlyEntriesOf(policy.webhookMatchConditions());
    assertThat(conditions(webhook(objects, "kinds.seb.dev")))
        .containsExactlyEntriesOf(policy.sebKindsMatchConditions());
    assertThat(conditions(webhook(objects, "broker.guard.seb.dev")))
        .containsExactlyEntriesOf(policy.brokerGuardMatchConditions());
    assertThat(conditions(webhook(objects, "namespaces.guard.seb.dev")))
        .containsExactlyEntriesOf(policy.labelGuardMatchConditions());
    for (HasMetadata expected : BoundaryPolicies.forPolicy(policy)) {
      HasMetadata rendered = find(objects, expected.getKind(), expected.getMetadata().getName());
      assertThat(rendered)
          .as("%s %s", expected.getKind(), expected.getMetadata().getName())
          .usingRecursiveComparison()
          .comparingOnlyFields("spec")
          .isEqualTo(expected);
    }
    ValidatingAdmissionPolicy kinds =
        (ValidatingAdmissionPolicy) find(objects, "ValidatingAdmissionPolicy", "seb-kinds");
    List<SebKindsPolicyCel.Validation> validations = new SebKindsPolicyCel(policy).validations();
    assertThat(kinds.getSpec().getValidations()).hasSize(validations.size());
    for (int i = 0; i < validations.size(); i++) {
      assertThat(kinds.getSpec().getValidations().get(i).getExpression())
          .as(validations.get(i).name())
          .isEqualTo(validations.get(i).expression());
      assertThat(kinds.getSpec().getValidations().get(i).getMessageExpression())
          .isEqualTo(validations.get(i).messageExpression());
    }
  }

  private static HasMetadata find(List<HasMetadata> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
  }

  private static ValidatingWebhook webhook(List<HasMetadata> objects, String name) {
    return objects.stream()
        .filter(ValidatingWebhookConfiguration.class::isInstance)
        .flatMap(o -> ((ValidatingWebhookConfiguration) o).getWebhooks().stream())
        .filter(w -> w.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no webhook " + name + " rendered"));
  }

  private static Map<String, String> conditions(ValidatingWebhook webhook) {
    Map<String, String> conditions = new LinkedHashMap<>();
    for (MatchCondition c : webhook.getMatchConditions()) {
      conditions.put(c.getName(), c.getExpression());
    }
    return conditions;
  }
}
