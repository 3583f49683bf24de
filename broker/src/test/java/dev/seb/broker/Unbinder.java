package dev.seb.broker;

import dev.seb.broker.execution.TargetResource;
import dev.seb.broker.identity.IdentityMinter;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.v1alpha1.MutationProposal;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes the API server's authorizer not (yet) grant a freshly minted identity, as an authorizer
 * whose RBAC cache lags the store does: for proposals named {@code unbound*}, the identity's
 * RoleBinding is deleted between minting and the write, and the hook returns only once the
 * authorizer refuses the identity. For {@code unbound-regranted*} the RoleBinding comes back a
 * moment later, as the lagging cache would catch up; for the others it never does.
 */
@Singleton
public class Unbinder {

  private final KubernetesClient client;
  private final IdentityMinter minter;

  /** The RoleBinding taken away last, as it was; null until one was. */
  volatile RoleBinding removed;

  /** Brings the last removed RoleBinding back; null until one comes back. */
  volatile CompletableFuture<RoleBinding> restored;

  Unbinder(KubernetesClient client, IdentityMinter minter) {
    this.client = client;
    this.minter = minter;
  }

  void onStarting(ProposalRef ref, AdmittedExecution admitted) {
    if (!ref.name().startsWith("unbound")) {
      return;
    }
    MutationProposal proposal =
        client
            .resources(MutationProposal.class)
            .inNamespace(ref.namespace())
            .withName(ref.name())
            .get();
    String uid = proposal.getMetadata().getUid();
    var target = admitted.target();
    RoleBinding binding =
        client
            .rbac()
            .roleBindings()
            .inNamespace(target.namespace())
            .withLabel(SebKeys.PROPOSAL_UID, uid)
            .list()
            .getItems()
            .get(0);
    client.resource(binding).delete();
    var subject = binding.getSubjects().get(0);
    String user = "system:serviceaccount:" + subject.getNamespace() + ":" + subject.getName();
    if (!minter.awaitRefused(
        List.of(user),
        TargetResource.resolve(client, target),
        TargetResource.Access.of(admitted.operation().type()))) {
      throw new IllegalStateException("the authorizer still grants " + user);
    }
    removed = binding;
    if (proposal.getMetadata().getName().startsWith("unbound-regranted")) {
      binding.getMetadata().setResourceVersion(null);
      binding.getMetadata().setUid(null);
      binding.getMetadata().setCreationTimestamp(null);
      binding.getMetadata().setManagedFields(null);
      restored =
          CompletableFuture.supplyAsync(
              () -> client.resource(binding).create(),
              CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
    }
  }
}
