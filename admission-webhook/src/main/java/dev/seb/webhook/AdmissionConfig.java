package dev.seb.webhook;

import dev.seb.contracts.admission.AdmissionPolicy;
import dev.seb.contracts.admission.AdmissionRules;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.HashSet;
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

  /** The operator's own ServiceAccount name (in seb's namespace), which writes seb's status. */
  @WithDefault("seb-operator")
  String operatorServiceAccount();

  /** Extra protected kinds as group/resource (core group empty: "/configmaps"). */
  Optional<Set<String>> extraProtectedResources();

  /** Replaces the exempt controller users (trailing * matches a prefix). */
  Optional<List<String>> exemptUsers();

  /** Replaces the break-glass groups. */
  Optional<Set<String>> breakGlassGroups();

  /** Replaces the admin groups. */
  Optional<Set<String>> adminGroups();

  /** Replaces the record retention groups. */
  Optional<Set<String>> retentionGroups();

  /** Builds the policy, and the rules deciding by it, from the configuration. */
  @ApplicationScoped
  class Producer {
    @Produces
    @jakarta.inject.Singleton
    AdmissionPolicy policy(AdmissionConfig config) {
      AdmissionPolicy d = AdmissionPolicy.defaults();
      Set<String> protectedResources = new HashSet<>(d.protectedResources());
      config.extraProtectedResources().ifPresent(protectedResources::addAll);
      return new AdmissionPolicy(
          config.sebNamespace(),
          config.brokerServiceAccount(),
          d.executionPrefix(),
          Set.copyOf(protectedResources),
          config.exemptUsers().orElse(d.exemptUsers()),
          d.exemptGroups(),
          config.breakGlassGroups().orElse(d.breakGlassGroups()),
          config.adminGroups().orElse(d.adminGroups()),
          config.retentionGroups().orElse(d.retentionGroups()),
          config.operatorServiceAccount());
    }

    @Produces
    @ApplicationScoped
    AdmissionRules rules(AdmissionPolicy policy) {
      return new AdmissionRules(policy);
    }
  }
}
