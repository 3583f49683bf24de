package dev.seb.broker;

import dev.seb.contracts.SebKeys;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.testing.RefusingPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Makes revocation fail after the write: between minting and the write, a ValidatingAdmissionPolicy
 * starts refusing the deletion of the proposal's identity's ServiceAccount (its Role and
 * RoleBinding still go), and the hook returns once the API server enforces it. {@link #close}
 * removes the policy again. Register it with {@link BrokerProbe#beforeWrite}.
 */
final class RevocationBlocker implements BrokerProbe.Hook, AutoCloseable {

  static final String POLICY = "seb-test-keep-execution-account";

  private final KubernetesClient client;

  private volatile RefusingPolicy policy;

  /** The ServiceAccount kept, once one was. */
  volatile String account;

  RevocationBlocker(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void at(ProposalRef ref, AdmittedExecution admitted) {
    var sa =
        client
            .serviceAccounts()
            .inAnyNamespace()
            .withLabel(SebKeys.PROPOSAL_UID, ref.uid())
            .list()
            .getItems()
            .get(0);
    String name = sa.getMetadata().getName();
    policy =
        RefusingPolicy.install(
                client,
                POLICY,
                """
                    resourceRules:
                      - apiGroups: [""]
                        apiVersions: ["v1"]
                        operations: ["DELETE"]
                        resources: ["serviceaccounts"]
                """,
                "oldObject.metadata.name != '" + name + "'",
                "kept for a test of a failed revocation")
            .awaitEnforced(kube -> kube.resource(sa).dryRun().delete());
    account = sa.getMetadata().getNamespace() + "/" + name;
  }

  /** Removes the policy: the kept ServiceAccount can be deleted again. */
  @Override
  public void close() {
    if (policy != null) {
      policy.close();
    }
  }
}
