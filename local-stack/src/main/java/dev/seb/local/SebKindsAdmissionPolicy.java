package dev.seb.local;

import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.contracts.admission.SebKindsPolicyCel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidationBuilder;
import java.util.List;

/**
 * The ValidatingAdmissionPolicy (and its binding) for seb's own kinds, rendered from {@link
 * SebKindsPolicyCel}: the second, webhook-less layer next to the {@code seb-kinds} webhook. It
 * matches every seb.dev kind and its status, in every namespace.
 */
final class SebKindsAdmissionPolicy {

  /** The policy's and the binding's name. */
  static final String NAME = "seb-kinds";

  private SebKindsAdmissionPolicy() {}

  /** The policy and its binding, for an installation's admission policy. */
  static List<HasMetadata> forPolicy(AdmissionPolicy policy) {
    List<Validation> validations =
        new SebKindsPolicyCel(policy)
            .validations().stream()
                .map(
                    v ->
                        new ValidationBuilder()
                            .withExpression(v.expression())
                            .withMessageExpression(v.messageExpression())
                            .withReason("Forbidden")
                            .build())
                .toList();
    return List.of(
        new ValidatingAdmissionPolicyBuilder()
            .withNewMetadata()
            .withName(NAME)
            .endMetadata()
            .withNewSpec()
            .withFailurePolicy("Fail")
            .withNewMatchConstraints()
            .withResourceRules(
                new NamedRuleWithOperationsBuilder()
                    .withApiGroups("seb.dev")
                    .withApiVersions("*")
                    .withOperations("CREATE", "UPDATE", "DELETE")
                    .withResources("*", "*/status")
                    .build())
            .endMatchConstraints()
            .withValidations(validations)
            .endSpec()
            .build(),
        new ValidatingAdmissionPolicyBindingBuilder()
            .withNewMetadata()
            .withName(NAME)
            .endMetadata()
            .withNewSpec()
            .withPolicyName(NAME)
            .withValidationActions("Deny")
            .endSpec()
            .build());
  }
}
