package dev.seb.webhook;

import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.contracts.admission.AdmissionRules;
import dev.seb.contracts.admission.WorkloadExemption;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code seb.admission.*}: the installation's admission policy; unset keys keep seb's defaults. */
@ConfigMapping(prefix = "seb.admission")
public interface AdmissionConfig {

  /** Namespace of the broker and its minted identities. */
  @WithDefault("seb-system")
  String sebNamespace();

  /** The broker's own ServiceAccount name. */
  @WithDefault("seb-broker")
  String brokerServiceAccount();

  /**
   * Workload exemptions in protected namespaces, each {@code
   * namespace/serviceaccount=group/resource[,group/resource/subresource...]}: that ServiceAccount
   * may write those resource types in its own namespace.
   */
  Optional<List<String>> workloadExemptions();

  /** Replaces the groups that may remove a namespace's protection or delete it. */
  Optional<Set<String>> protectionAdminGroups();

  /** The operator's own ServiceAccount name (in seb's namespace), which writes seb's status. */
  @WithDefault("seb-operator")
  String operatorServiceAccount();

  /** Replaces the exempt controller users (trailing * matches a prefix). */
  Optional<List<String>> exemptUsers();

  /** Replaces the break-glass groups. */
  Optional<Set<String>> breakGlassGroups();

  /** Replaces the admin groups. */
  Optional<Set<String>> adminGroups();

  /** Replaces the record retention groups. */
  Optional<Set<String>> retentionGroups();

  /**
   * Whether an unset (or empty) list keeps seb's default; false: it is empty. The chart sets every
   * list and this to false, so that an empty list in its values means none, as in its
   * ValidatingAdmissionPolicies (an empty value is an unset one to the configuration).
   */
  @WithDefault("true")
  boolean defaultsForUnsetLists();

  /** Builds the policy, and the rules deciding by it, from the configuration. */
  @ApplicationScoped
  class Producer {
    @Produces
    @jakarta.inject.Singleton
    AdmissionPolicy policy(AdmissionConfig config) {
      AdmissionPolicy d = AdmissionPolicy.defaults();
      boolean defaults = config.defaultsForUnsetLists();
      return new AdmissionPolicy(
          config.sebNamespace(),
          config.brokerServiceAccount(),
          d.executionPrefix(),
          config.exemptUsers().orElse(defaults ? d.exemptUsers() : List.of()),
          d.exemptGroups(),
          config.workloadExemptions().orElse(List.of()).stream()
              .map(WorkloadExemption::parse)
              .toList(),
          config.breakGlassGroups().orElse(defaults ? d.breakGlassGroups() : Set.of()),
          config.adminGroups().orElse(defaults ? d.adminGroups() : Set.of()),
          config.retentionGroups().orElse(defaults ? d.retentionGroups() : Set.of()),
          config.protectionAdminGroups().orElse(defaults ? d.protectionAdminGroups() : Set.of()),
          config.operatorServiceAccount());
    }

    @Produces
    @ApplicationScoped
    AdmissionRules rules(AdmissionPolicy policy) {
      return new AdmissionRules(policy);
    }
  }
}
