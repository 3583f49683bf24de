package dev.seb.operator;

import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.SebStatus;
import dev.seb.testing.RefusingPolicy;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * A real reason for the seb operator's status write to fail: a ValidatingAdmissionPolicy that
 * refuses every write of {@code mandates/status} and {@code trustanchors/status} of an object
 * labelled {@value #LABEL}{@code =true}, unless the status reports {@code Ready=False
 * ReconcileError}. The API server refuses the operator's patch of a new evaluation, the error
 * escapes the reconcile, and only the error report gets through.
 */
final class StatusRefusal {

  static final String LABEL = "seb.test/refuse-status";
  static final String POLICY = "seb-test-refuse-status";
  static final String MESSAGE = "seb test: this status is refused unless it reports ReconcileError";

  private final KubernetesClient client;

  StatusRefusal(KubernetesClient client) {
    this.client = client;
  }

  private RefusingPolicy policy;

  /** Installs the policy; {@link #awaitEnforced} says when the API server applies it. */
  void install() {
    policy =
        RefusingPolicy.install(
            client,
            POLICY,
            """
                objectSelector:
                  matchLabels: {"%s": "true"}
                resourceRules:
                  - apiGroups: ["seb.dev"]
                    apiVersions: ["v1alpha1"]
                    operations: ["CREATE", "UPDATE"]
                    resources: ["mandates/status", "trustanchors/status"]
            """
                .formatted(LABEL),
            "has(object.status) && has(object.status.conditions) &&"
                + " object.status.conditions.exists(c, c.type == 'Ready' &&"
                + " c.status == 'False' && c.reason == 'ReconcileError')",
            MESSAGE);
  }

  /**
   * Returns once the API server refuses a dry run of a {@code Ready=True} status for {@code
   * labelled} (which carries the label): a new policy is enforced once the API server's informer
   * has it.
   */
  <S extends SebStatus, P extends CustomResource<?, S>> void awaitEnforced(P labelled) {
    policy.awaitEnforced(
        kube -> {
          P current = kube.resource(labelled).get();
          S status = current.getStatus();
          status.setConditions(
              Conditions.set(
                  status.getConditions(),
                  "Ready",
                  true,
                  "DryRun",
                  "a dry run of a status the policy refuses",
                  current.getMetadata().getGeneration(),
                  Clock.systemUTC()));
          kube.resource(current).dryRun().patchStatus();
        });
  }

  /** Removes the policy and its binding. */
  void lift() {
    if (policy != null) {
      policy.close();
    }
  }
}
