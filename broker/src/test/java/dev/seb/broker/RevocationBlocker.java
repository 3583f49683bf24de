package dev.seb.broker;

import dev.seb.contracts.SebKeys;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Makes revocation fail after the write: between minting and the write, a ValidatingAdmissionPolicy
 * starts refusing the deletion of the proposal's identity's ServiceAccount (its Role and
 * RoleBinding still go), and the hook returns once the API server enforces it. {@link #close}
 * removes the policy again. Register it with {@link BrokerProbe#beforeWrite}.
 */
final class RevocationBlocker implements BrokerProbe.Hook, AutoCloseable {

  static final String POLICY = "seb-test-keep-execution-account";

  private final KubernetesClient client;

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
    client
        .load(
            new ByteArrayInputStream(
                """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %1$s}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - apiGroups: [""]
                        apiVersions: ["v1"]
                        operations: ["DELETE"]
                        resources: ["serviceaccounts"]
                  validations:
                    - expression: "oldObject.metadata.name != '%2$s'"
                      message: "kept for a test of a failed revocation"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %1$s}
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                """
                    .formatted(POLICY, name)
                    .getBytes(StandardCharsets.UTF_8)))
        .serverSideApply();
    // the API server enforces a new policy once its informer has it
    Awaitility.await("the policy keeps " + name)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try {
                client.resource(sa).dryRun().delete();
                return false;
              } catch (KubernetesClientException e) {
                return e.getCode() == 403 || e.getCode() == 422;
              }
            });
    account = sa.getMetadata().getNamespace() + "/" + name;
  }

  /** Removes the policy: the kept ServiceAccount can be deleted again. */
  @Override
  public void close() {
    client.resources(ValidatingAdmissionPolicyBinding.class).withName(POLICY).delete();
    client.resources(ValidatingAdmissionPolicy.class).withName(POLICY).delete();
  }
}
