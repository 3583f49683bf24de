package dev.seb.broker;

import dev.seb.broker.execution.TargetResource;
import dev.seb.broker.identity.IdentityMinter;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes the API server's authorizer not (yet) grant a freshly minted identity, as an authorizer
 * whose RBAC cache lags the store does: the proposal's identity's RoleBinding is deleted between
 * minting and the write, and the hook returns only once the authorizer refuses the identity. {@link
 * #regranted} brings the RoleBinding back a moment later, as the lagging cache would catch up;
 * {@link #neverGranted} never does. Register it with {@link BrokerProbe#beforeWrite}.
 */
final class Unbinder implements BrokerProbe.Hook {

  private final KubernetesClient client;
  private final IdentityMinter minter;
  private final boolean regrant;

  /** The RoleBinding taken away, as it was; null until it was. */
  volatile RoleBinding removed;

  /** Brings the removed RoleBinding back; null until one comes back. */
  volatile CompletableFuture<RoleBinding> restored;

  private Unbinder(KubernetesClient client, IdentityMinter minter, boolean regrant) {
    this.client = client;
    this.minter = minter;
    this.regrant = regrant;
  }

  /** The RoleBinding comes back 500 ms after the authorizer refused the identity. */
  static Unbinder regranted(KubernetesClient client, IdentityMinter minter) {
    return new Unbinder(client, minter, true);
  }

  /** The RoleBinding never comes back. */
  static Unbinder neverGranted(KubernetesClient client, IdentityMinter minter) {
    return new Unbinder(client, minter, false);
  }

  @Override
  public void at(ProposalRef ref, AdmittedExecution admitted) {
    var target = admitted.target();
    RoleBinding binding =
        client
            .rbac()
            .roleBindings()
            .inNamespace(target.namespace())
            .withLabel(SebKeys.PROPOSAL_UID, ref.uid())
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
    if (regrant) {
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
