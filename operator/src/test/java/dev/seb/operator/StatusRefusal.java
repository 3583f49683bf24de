package dev.seb.operator;

import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.SebStatus;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;

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

  /** Installs the policy; {@link #awaitEnforced} says when the API server applies it. */
  void install() {
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
                    objectSelector:
                      matchLabels: {"%2$s": "true"}
                    resourceRules:
                      - apiGroups: ["seb.dev"]
                        apiVersions: ["v1alpha1"]
                        operations: ["CREATE", "UPDATE"]
                        resources: ["mandates/status", "trustanchors/status"]
                  validations:
                    - expression: >-
                        has(object.status) && has(object.status.conditions) &&
                        object.status.conditions.exists(c, c.type == 'Ready' &&
                        c.status == 'False' && c.reason == 'ReconcileError')
                      message: "%3$s"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %1$s}
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                """
                    .formatted(POLICY, LABEL, MESSAGE)
                    .getBytes(StandardCharsets.UTF_8)))
        .serverSideApply();
  }

  /**
   * Returns once the API server refuses a dry run of a {@code Ready=True} status for {@code
   * labelled} (which carries the label): a new policy is enforced once the API server's informer
   * has it.
   */
  <S extends SebStatus, P extends CustomResource<?, S>> void awaitEnforced(P labelled) {
    Awaitility.await("the API server enforces " + POLICY)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              P current = client.resource(labelled).get();
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
              try {
                client.resource(current).dryRun().patchStatus();
                return false;
              } catch (KubernetesClientException e) {
                return e.getMessage() != null && e.getMessage().contains(MESSAGE);
              }
            });
  }

  /** Removes the policy and its binding. */
  void lift() {
    client.resources(ValidatingAdmissionPolicyBinding.class).withName(POLICY).delete();
    client.resources(ValidatingAdmissionPolicy.class).withName(POLICY).delete();
  }
}
