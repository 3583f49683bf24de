package dev.seb.testing;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/**
 * A real reason for a write to fail, for tests: a ValidatingAdmissionPolicy (with its binding) that
 * refuses what its CEL {@code validation} does not hold for, among the requests {@code
 * matchConstraints} selects. The API server enforces a new policy only once its informer has it:
 * {@link #awaitEnforced} waits for that. {@link #close} removes both objects.
 */
public final class RefusingPolicy implements AutoCloseable {

  private final KubernetesClient client;
  private final String name;
  private final String message;

  private RefusingPolicy(KubernetesClient client, String name, String message) {
    this.client = client;
    this.name = name;
    this.message = message;
  }

  /**
   * Installs the policy.
   *
   * @param matchConstraints the YAML of {@code spec.matchConstraints}, indented by 4 spaces
   * @param validation a CEL expression; requests for which it is false are refused
   * @param message the refusal's message
   */
  public static RefusingPolicy install(
      KubernetesClient client,
      String name,
      String matchConstraints,
      String validation,
      String message) {
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
                %2$s
                  validations:
                    - expression: %3$s
                      message: %4$s
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %1$s}
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                """
                    .formatted(
                        name, matchConstraints.stripTrailing(), quoted(validation), quoted(message))
                    .getBytes(StandardCharsets.UTF_8)))
        .serverSideApply();
    return new RefusingPolicy(client, name, message);
  }

  /**
   * Returns once {@code dryRun}, a dry-run write the policy refuses, is refused with the policy's
   * message (within 30 s).
   */
  public RefusingPolicy awaitEnforced(Consumer<KubernetesClient> dryRun) {
    Awaitility.await("the API server enforces policy " + name)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try {
                dryRun.accept(client);
                return false;
              } catch (KubernetesClientException e) {
                return e.getMessage() != null && e.getMessage().contains(message);
              }
            });
    return this;
  }

  /** The message every refusal carries. */
  public String message() {
    return message;
  }

  @Override
  public void close() {
    client.resources(ValidatingAdmissionPolicyBinding.class).withName(name).delete();
    client.resources(ValidatingAdmissionPolicy.class).withName(name).delete();
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
