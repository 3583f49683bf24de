package dev.seb.contracts.admission;

import dev.seb.contracts.SebKeys;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchConditionBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The webhook registrations of seb's boundary, for one policy: the protected-namespace guard (every
 * operation on every resource and subresource in protected namespaces) and the guard registration
 * (the broker's own writes outside them, and the protection label). What {@link RegistrationCheck}
 * checks the registered ones against.
 */
public final class BoundaryRegistrations {

  private BoundaryRegistrations() {}

  /** The protected registration's one webhook, calling {@code validate/protected}. */
  public static ValidatingWebhook protectedWebhook(
      AdmissionPolicy policy, Function<String, WebhookClientConfig> at) {
    return webhook("protected.seb.dev", at.apply("validate/protected"))
        .withNamespaceSelector(
            new LabelSelectorBuilder().addToMatchLabels(SebKeys.PROTECTED, "true").build())
        .withRules(protectedRules())
        // what the webhook admits plainly, the API server decides itself (the VAP still applies)
        .withMatchConditions(conditions(policy.webhookMatchConditions()))
        .withSideEffects("NoneOnDryRun")
        .build();
  }

  /** Every operation on every resource and subresource of every group, namespaced. */
  public static List<RuleWithOperations> protectedRules() {
    return List.of(
        new RuleWithOperationsBuilder()
            .withApiGroups("*")
            .withApiVersions("*")
            .withOperations("CREATE", "UPDATE", "DELETE", "CONNECT")
            .withResources("*/*")
            .withScope("Namespaced")
            .build());
  }

  /** The guard registration's two webhooks, calling {@code validate/guard}. */
  public static List<ValidatingWebhook> guardWebhooks(
      AdmissionPolicy policy, Function<String, WebhookClientConfig> at) {
    return List.of(
        webhook(RegistrationCheck.BROKER_GUARD, at.apply("validate/guard"))
            .withNamespaceSelector(unprotected())
            .withRules(
                new RuleWithOperationsBuilder()
                    .withApiGroups(MintedRbac.GROUP)
                    .withApiVersions("*")
                    .withOperations("CREATE", "UPDATE", "DELETE")
                    .withResources(BrokerConfinement.RBAC_RESOURCES)
                    .withScope("*")
                    .build(),
                new RuleWithOperationsBuilder()
                    .withApiGroups("")
                    .withApiVersions("*")
                    .withOperations("CREATE", "UPDATE", "DELETE")
                    .withResources(BrokerConfinement.CORE_RESOURCES)
                    .withScope("Namespaced")
                    .build(),
                new RuleWithOperationsBuilder()
                    .withApiGroups(BrokerConfinement.LEASE_GROUP)
                    .withApiVersions("*")
                    .withOperations("CREATE", "UPDATE", "DELETE")
                    .withResources(BrokerConfinement.LEASE_RESOURCES)
                    .withScope("Namespaced")
                    .build())
            .withMatchConditions(conditions(policy.brokerGuardMatchConditions()))
            .withSideEffects("None")
            .build(),
        webhook(RegistrationCheck.LABEL_GUARD, at.apply("validate/guard"))
            .withRules(
                new RuleWithOperationsBuilder()
                    .withApiGroups("")
                    .withApiVersions("*")
                    .withOperations("UPDATE", "DELETE")
                    .withResources(ProtectionLabel.RESOURCES)
                    .withScope("Cluster")
                    .build())
            .withMatchConditions(conditions(policy.labelGuardMatchConditions()))
            .withSideEffects("NoneOnDryRun")
            .build());
  }

  /** Every namespace that is not protected (and everything cluster-scoped). */
  static LabelSelector unprotected() {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(SebKeys.PROTECTED)
        .withOperator("NotIn")
        .withValues("true")
        .endMatchExpression()
        .build();
  }

  private static ValidatingWebhookBuilder webhook(String name, WebhookClientConfig clientConfig) {
    return new ValidatingWebhookBuilder()
        .withName(name)
        .withClientConfig(clientConfig)
        .withFailurePolicy("Fail")
        .withAdmissionReviewVersions("v1")
        .withTimeoutSeconds(5);
  }

  static List<MatchCondition> conditions(Map<String, String> conditions) {
    return conditions.entrySet().stream()
        .map(
            c ->
                new MatchConditionBuilder()
                    .withName(c.getKey())
                    .withExpression(c.getValue())
                    .build())
        .toList();
  }
}
