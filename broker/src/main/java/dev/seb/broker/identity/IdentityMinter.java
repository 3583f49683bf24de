package dev.seb.broker.identity;

import dev.seb.broker.execution.TargetResource;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.broker.runtime.Parallel;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.execution.AdmittedExecution;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints the identity for exactly one admitted execution: a ServiceAccount {@code seb-exec-<id>} in
 * the broker's namespace, a Role in the target namespace with only the verbs, resource and
 * resourceName the operation needs, a RoleBinding and a TokenRequest token. Revoking deletes all
 * three, which invalidates the token at once (the API's minimum token lifetime is 600 s).
 */
@ApplicationScoped
public class IdentityMinter {

  /** The API's minimum TokenRequest lifetime. */
  static final long TOKEN_SECONDS = 600;

  private final KubernetesClient client;
  private final BrokerConfig config;

  public IdentityMinter(KubernetesClient client, BrokerConfig config) {
    this.client = client;
    this.config = config;
  }

  /** A minted identity. */
  public record Minted(
      String name, String username, String targetNamespace, String token, Instant expiresAt) {}

  /** Mints the identity the admitted operation needs, and nothing more. */
  public Minted mint(AdmittedExecution admitted, TargetResource target, String proposalUid) {
    String name = "seb-exec-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    String targetNamespace = admitted.target().namespace();
    Map<String, String> labels =
        Map.of(SebKeys.EXECUTION_IDENTITY, "true", SebKeys.PROPOSAL_UID, proposalUid);
    ServiceAccount account =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .build();
    Role role =
        new RoleBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withRules(rules(admitted, target))
            .build();
    RoleBinding binding =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(name)
            .withNamespace(config.namespace())
            .endSubject()
            .build();
    // the token needs only the ServiceAccount: it is requested as soon as that exists, while the
    // Role and RoleBinding are still being created; the identity is used once all three are done
    var tokenCall =
        Parallel.start(
            () -> {
              client.serviceAccounts().inNamespace(config.namespace()).resource(account).create();
              return client
                  .serviceAccounts()
                  .inNamespace(config.namespace())
                  .withName(name)
                  .tokenRequest(
                      new TokenRequestBuilder()
                          .withNewSpec()
                          .withExpirationSeconds(TOKEN_SECONDS)
                          .endSpec()
                          .build())
                  .getStatus();
            });
    io.fabric8.kubernetes.api.model.authentication.TokenRequestStatus status;
    try {
      Parallel.all(
          () -> client.rbac().roles().inNamespace(targetNamespace).resource(role).create(),
          () ->
              client.rbac().roleBindings().inNamespace(targetNamespace).resource(binding).create());
      status = Parallel.result(tokenCall);
    } catch (RuntimeException e) {
      // whatever was made goes at once (once nothing is still being made); the collector would
      // find it later otherwise
      tokenCall.handle((done, failed) -> null).join();
      try {
        revoke(new Minted(name, null, targetNamespace, null, null));
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return new Minted(
        name,
        "system:serviceaccount:" + config.namespace() + ":" + name,
        targetNamespace,
        status.getToken(),
        Instant.parse(status.getExpirationTimestamp()));
  }

  /** Deletes the identity; its token is refused from then on. */
  public void revoke(Minted minted) {
    Parallel.all(
        () ->
            client
                .rbac()
                .roleBindings()
                .inNamespace(minted.targetNamespace())
                .withName(minted.name())
                .delete(),
        () ->
            client
                .rbac()
                .roles()
                .inNamespace(minted.targetNamespace())
                .withName(minted.name())
                .delete(),
        () ->
            client
                .serviceAccounts()
                .inNamespace(config.namespace())
                .withName(minted.name())
                .delete());
  }

  /**
   * Deletes every identity minted for a proposal, by whichever broker: after this (and once the
   * authorizer has caught up, see {@link #awaitRefused}) no write for it can succeed any more.
   * Returns the user names of the ServiceAccounts there were.
   */
  public List<String> revokeAll(String proposalUid) {
    String proposal = proposalUid;
    // listed, then deleted one by one: the broker may delete what it minted, by name, and holds no
    // deletecollection anywhere (the chart's RBAC, and admission checks each name)
    var accounts =
        client
            .serviceAccounts()
            .inNamespace(config.namespace())
            .withLabel(SebKeys.PROPOSAL_UID, proposal)
            .list()
            .getItems();
    var bindings =
        client
            .rbac()
            .roleBindings()
            .inAnyNamespace()
            .withLabel(SebKeys.PROPOSAL_UID, proposal)
            .list()
            .getItems();
    var roles =
        client
            .rbac()
            .roles()
            .inAnyNamespace()
            .withLabel(SebKeys.PROPOSAL_UID, proposal)
            .list()
            .getItems();
    Parallel.all(
        () ->
            bindings.forEach(
                b ->
                    client
                        .rbac()
                        .roleBindings()
                        .inNamespace(b.getMetadata().getNamespace())
                        .withName(b.getMetadata().getName())
                        .delete()),
        () ->
            roles.forEach(
                r ->
                    client
                        .rbac()
                        .roles()
                        .inNamespace(r.getMetadata().getNamespace())
                        .withName(r.getMetadata().getName())
                        .delete()),
        () ->
            accounts.forEach(
                a ->
                    client
                        .serviceAccounts()
                        .inNamespace(config.namespace())
                        .withName(a.getMetadata().getName())
                        .delete()));
    return accounts.stream()
        .map(a -> "system:serviceaccount:" + config.namespace() + ":" + a.getMetadata().getName())
        .toList();
  }

  /**
   * Whether the authorizer refuses each user the target access within {@link
   * Authorizer#REVOCATION_SEEN_WITHIN}.
   */
  public boolean awaitRefused(
      List<String> users, TargetResource resource, TargetResource.Access access) {
    return Authorizer.awaitRefused(client, users, resource, access);
  }

  /**
   * Deletes leftovers of executions a crash interrupted, found by label and created before the
   * given instant; returns how many ServiceAccounts were removed.
   */
  public int collectGarbage(Instant createdBefore) {
    int removed = 0;
    for (var account :
        client
            .serviceAccounts()
            .inNamespace(config.namespace())
            .withLabel(SebKeys.EXECUTION_IDENTITY, "true")
            .list()
            .getItems()) {
      if (Instant.parse(account.getMetadata().getCreationTimestamp()).isBefore(createdBefore)) {
        client.resource(account).delete();
        removed++;
      }
    }
    for (var role :
        client
            .rbac()
            .roles()
            .inAnyNamespace()
            .withLabel(SebKeys.EXECUTION_IDENTITY, "true")
            .list()
            .getItems()) {
      if (Instant.parse(role.getMetadata().getCreationTimestamp()).isBefore(createdBefore)) {
        client.resource(role).delete();
      }
    }
    for (var binding :
        client
            .rbac()
            .roleBindings()
            .inAnyNamespace()
            .withLabel(SebKeys.EXECUTION_IDENTITY, "true")
            .list()
            .getItems()) {
      if (Instant.parse(binding.getMetadata().getCreationTimestamp()).isBefore(createdBefore)) {
        client.resource(binding).delete();
      }
    }
    return removed;
  }

  private static List<PolicyRule> rules(AdmittedExecution admitted, TargetResource target) {
    var access = TargetResource.Access.of(admitted.operation().type());
    PolicyRuleBuilder rule =
        new PolicyRuleBuilder()
            .withApiGroups(target.group())
            .withResources(access.resource(target.plural()))
            .withVerbs(access.verb());
    // RBAC cannot restrict create by name; the API server checks the name against the admitted
    // object
    if (!"create".equals(access.verb())) {
      rule.withResourceNames(admitted.target().name());
    }
    return List.of(rule.build());
  }
}
