package dev.seb.contracts.admission;

import dev.seb.contracts.SebKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicySpecBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * seb's second admission layer: ValidatingAdmissionPolicies (CEL, evaluated by the API server
 * itself, no webhook involved) with the same rules as the webhook's boundary, generated from one
 * {@link AdmissionPolicy}. They keep agents out while the webhook is down, misconfigured or
 * deleted. Three policies, each with its binding:
 *
 * <ul>
 *   <li>{@value #PROTECTED}: every CREATE, UPDATE, DELETE and CONNECT on every resource and
 *       subresource in a protected namespace ({@link AdmissionPolicy#protectedNamespaceCel});
 *   <li>{@value #BROKER}: the broker's own RBAC, ServiceAccount and Secret writes outside protected
 *       namespaces and anything cluster-scoped ({@link BrokerConfinement});
 *   <li>{@value #LABEL}: removing a namespace's protection ({@link ProtectionLabel}).
 * </ul>
 */
public final class BoundaryPolicies {

  /** The protected-namespace policy. */
  public static final String PROTECTED = "seb-broker-only";

  /** The broker's confinement outside protected namespaces. */
  public static final String BROKER = "seb-broker-confined";

  /** The protection label's guard. */
  public static final String LABEL = "seb-protection-label";

  private BoundaryPolicies() {}

  /** The three policies and their bindings, in the order they are applied. */
  public static List<HasMetadata> forPolicy(AdmissionPolicy policy) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(
        vap(
            PROTECTED,
            new ValidatingAdmissionPolicySpecBuilder()
                .withNewMatchConstraints()
                .withNamespaceSelector(
                    new LabelSelectorBuilder().addToMatchLabels(SebKeys.PROTECTED, "true").build())
                .withResourceRules(
                    rule(
                        List.of("*"),
                        List.of("*/*"),
                        List.of("CREATE", "UPDATE", "DELETE", "CONNECT"),
                        "Namespaced"))
                .endMatchConstraints()
                .addNewValidation()
                .withExpression(policy.protectedNamespaceCel())
                .withMessageExpression(
                    "'seb: ' + request.userInfo.username + ' may not ' + request.operation + ' '"
                        + " + request.resource.resource"
                        + " + (has(request.subResource) && request.subResource != ''"
                        + " ? '/' + request.subResource : '')"
                        + " + ' in protected namespace ' + request.namespace"
                        + " + ': create a MutationProposal under your Mandate instead'")
                .withReason("Forbidden")
                .endValidation()));
    objects.add(binding(PROTECTED));
    objects.add(
        vap(
            BROKER,
            new ValidatingAdmissionPolicySpecBuilder()
                .withNewMatchConstraints()
                .withNamespaceSelector(BoundaryRegistrations.unprotected())
                .withResourceRules(
                    rule(
                        List.of(MintedRbac.GROUP),
                        BrokerConfinement.RBAC_RESOURCES,
                        List.of("CREATE", "UPDATE", "DELETE"),
                        "*"),
                    rule(
                        List.of(""),
                        BrokerConfinement.CORE_RESOURCES,
                        List.of("CREATE", "UPDATE", "DELETE"),
                        "Namespaced"),
                    rule(
                        List.of(BrokerConfinement.LEASE_GROUP),
                        BrokerConfinement.LEASE_RESOURCES,
                        List.of("CREATE", "UPDATE", "DELETE"),
                        "Namespaced"))
                .endMatchConstraints()
                .withMatchConditions(
                    BoundaryRegistrations.conditions(policy.brokerGuardMatchConditions()))
                .addNewValidation()
                .withExpression(policy.brokerConfinedCel())
                .withMessage(
                    "seb: the broker's own identity writes outside protected namespaces only its"
                        + " execution ServiceAccounts, their tokens, its signing key, its epoch"
                        + " marks and its chain Leases, and RBAC only in the minted shape inside"
                        + " protected namespaces")
                .withReason("Forbidden")
                .endValidation()));
    objects.add(binding(BROKER));
    objects.add(
        vap(
            LABEL,
            new ValidatingAdmissionPolicySpecBuilder()
                .withNewMatchConstraints()
                .withResourceRules(
                    rule(
                        List.of(""),
                        ProtectionLabel.RESOURCES,
                        List.of("UPDATE", "DELETE"),
                        "Cluster"))
                .endMatchConstraints()
                .withMatchConditions(
                    BoundaryRegistrations.conditions(policy.labelGuardMatchConditions()))
                .addNewValidation()
                .withExpression(policy.protectionAdminCel())
                .withMessage(
                    "seb: only the protection-admin groups may remove label "
                        + SebKeys.PROTECTED
                        + " or delete a protected namespace")
                .withReason("Forbidden")
                .endValidation()));
    objects.add(binding(LABEL));
    return objects;
  }

  private static HasMetadata vap(String name, ValidatingAdmissionPolicySpecBuilder spec) {
    return new ValidatingAdmissionPolicyBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withSpec(spec.withFailurePolicy("Fail").build())
        .build();
  }

  private static HasMetadata binding(String policy) {
    return new ValidatingAdmissionPolicyBindingBuilder()
        .withNewMetadata()
        .withName(policy)
        .endMetadata()
        .withNewSpec()
        .withPolicyName(policy)
        .withValidationActions("Deny")
        .endSpec()
        .build();
  }

  private static NamedRuleWithOperations rule(
      List<String> groups, List<String> resources, List<String> operations, String scope) {
    return new NamedRuleWithOperationsBuilder()
        .withApiGroups(groups)
        .withApiVersions("*")
        .withResources(resources)
        .withOperations(operations)
        .withScope(scope)
        .build();
  }
}
