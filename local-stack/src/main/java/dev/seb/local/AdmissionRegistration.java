package dev.seb.local;

import dev.seb.contracts.SebKeys;
import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.contracts.admission.BoundaryRegistrations;
import dev.seb.contracts.admission.RegistrationCheck;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchConditionBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import java.util.List;
import java.util.Map;

/**
 * The admission webhook's registrations, from which {@link ChartAdmissionTemplates} generates the
 * chart's template (the chart renders them for a Service or a {@code url:} webhook): the
 * protected-namespace guard (every operation on everything in protected namespaces), seb's own
 * kinds, the guard (the broker's own writes outside protected namespaces, the protection label) and
 * the submitter stamp on proposals. All fail closed with a short timeout.
 */
final class AdmissionRegistration {

  /** The namespace label that turns the guard on. */
  static final String PROTECTED_LABEL = SebKeys.PROTECTED;

  private AdmissionRegistration() {}

  /**
   * The four registrations for an installation's policy, each webhook's clientConfig from {@code
   * at} (given the webhook's path), with these annotations (none when empty).
   */
  static List<HasMetadata> forPolicy(
      AdmissionPolicy policy,
      java.util.function.Function<String, WebhookClientConfig> at,
      Map<String, String> annotations) {
    return List.of(
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(dev.seb.contracts.admission.RegistrationCheck.PROTECTED)
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .withWebhooks(BoundaryRegistrations.protectedWebhook(policy, at))
            .build(),
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(dev.seb.contracts.admission.RegistrationCheck.KINDS)
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .addNewWebhook()
            .withName("kinds.seb.dev")
            .withClientConfig(at.apply("validate/seb"))
            .withRules(rule("seb.dev", List.of("*", "*/status")))
            // what it admits plainly: records the broker writes, status
            // written by the seb component that owns it
            .withMatchConditions(matchConditions(policy.sebKindsMatchConditions()))
            .withFailurePolicy("Fail")
            .withSideEffects("None")
            .withAdmissionReviewVersions("v1")
            .withTimeoutSeconds(5)
            .endWebhook()
            .build(),
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(RegistrationCheck.GUARD)
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .withWebhooks(BoundaryRegistrations.guardWebhooks(policy, at))
            .build(),
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName("seb-proposals")
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .addNewWebhook()
            .withName("proposals.seb.dev")
            .withClientConfig(at.apply("mutate/proposals"))
            .withRules(
                new RuleWithOperationsBuilder()
                    .withOperations("CREATE")
                    .withApiGroups("seb.dev")
                    .withApiVersions("*")
                    .withResources("mutationproposals")
                    .build())
            .withFailurePolicy("Fail")
            .withSideEffects("None")
            .withReinvocationPolicy("Never")
            .withAdmissionReviewVersions("v1")
            .withTimeoutSeconds(5)
            .endWebhook()
            .build());
  }

  private static List<MatchCondition> matchConditions(Map<String, String> conditions) {
    return conditions.entrySet().stream()
        .map(
            c ->
                new MatchConditionBuilder()
                    .withName(c.getKey())
                    .withExpression(c.getValue())
                    .build())
        .toList();
  }

  private static RuleWithOperations rule(String group, List<String> resources) {
    return new RuleWithOperationsBuilder()
        .withOperations("CREATE", "UPDATE", "DELETE")
        .withApiGroups(group)
        .withApiVersions("*")
        .withResources(resources)
        .build();
  }
}
