package dev.seb.broker;

import static org.awaitility.Awaitility.await;

import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.testing.QuarkusClusterResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import java.time.Duration;

/**
 * One real API server with seb's CRDs for every {@code @QuarkusTest} of the broker, and what the
 * broker's tests set up on it alike.
 */
@QuarkusTestResource(
    value = QuarkusClusterResource.class,
    initArgs = @ResourceArg(name = QuarkusClusterResource.CRDS, value = "../crds"))
public final class BrokerTestGround {

  private static final Duration SOON = Duration.ofSeconds(30);

  private BrokerTestGround() {}

  /** Applies the namespaces (another test class may have made them already). */
  static void namespaces(KubernetesClient client, String... names) {
    for (String ns : names) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
  }

  /** The Deployment {@code web} with two replicas of one container running {@code image}. */
  static Deployment web(String namespace, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The proposal's status once it is decided: a denial or hold, or an admission whose outcome is
   * recorded.
   */
  static MutationProposalStatus awaitDecided(
      KubernetesClient client, String namespace, String name) {
    await()
        .atMost(SOON)
        .until(
            () -> {
              MutationProposal p =
                  client
                      .resources(MutationProposal.class)
                      .inNamespace(namespace)
                      .withName(name)
                      .get();
              return p.getStatus() != null
                  && p.getStatus().getDecision() != null
                  && (p.getStatus().getOutcomeRecord() != null
                      || p.getStatus().getDecision() != MutationProposalStatus.Decision.ADMIT);
            });
    return client
        .resources(MutationProposal.class)
        .inNamespace(namespace)
        .withName(name)
        .get()
        .getStatus();
  }
}
