package dev.seb.e2e.node;

import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The agent {@code agents/planner} proposing scales of {@code shop/web} under the Mandate {@code
 * shop/planner} and the contract {@code shop/scale-web} ({@code Scenario.authorize}), and what an
 * admin sees of them.
 */
final class Proposals implements AutoCloseable {

  /** What {@code shop/web} is: its replicas and how often its spec was written. */
  record Target(int replicas, long generation) {}

  private final KubernetesClient admin;
  private final KubernetesClient agent;

  Proposals(KubernetesClient admin, Path agentKubeconfig) {
    this.admin = admin;
    try {
      this.agent =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(Files.readString(agentKubeconfig)))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The agent proposes to scale {@code shop/web} to {@code replicas}. */
  void create(String name, int replicas) {
    String yaml =
        """
        apiVersion: seb.dev/v1alpha1
        kind: MutationProposal
        metadata:
          name: %s
          namespace: shop
        spec:
          mandateRef: planner
          contractRef: scale-web
          operation: {type: scale, replicas: %d}
          justification: load on the node
        """
            .formatted(name, replicas);
    MutationProposal proposal =
        agent.getKubernetesSerialization().unmarshal(yaml, MutationProposal.class);
    agent.resource(proposal).create();
  }

  Target target() {
    Deployment web = admin.apps().deployments().inNamespace("shop").withName("web").get();
    return new Target(web.getSpec().getReplicas(), web.getMetadata().getGeneration());
  }

  /** The proposal once it has ended: decided, executed or not, with its outcome record. */
  MutationProposal awaitEnded(String name, Duration timeout) {
    return Awaitility.await(name + " ended")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> get(name), p -> p != null && ended(p.getStatus()));
  }

  MutationProposal get(String name) {
    return admin.resources(MutationProposal.class).inNamespace("shop").withName(name).get();
  }

  /**
   * Whether the proposal has ended: denied (its denial recorded), or admitted with its outcome
   * recorded.
   */
  static boolean ended(MutationProposalStatus status) {
    if (status == null
        || status.getDecision() == null
        || status.getExecuted() == null
        || status.getDecisionRecord() == null) {
      return false;
    }
    return status.getDecision() == MutationProposalStatus.Decision.DENY
        || (status.getCompletedAt() != null && status.getOutcomeRecord() != null);
  }

  /** How many Events of {@code reason} the broker reported about the proposal {@code uid}. */
  long events(String uid, String reason) {
    return admin
        .v1()
        .events()
        .inNamespace("shop")
        .withField("involvedObject.uid", uid)
        .list()
        .getItems()
        .stream()
        .filter(e -> reason.equals(e.getReason()))
        .mapToLong(e -> e.getCount() == null ? 1 : e.getCount())
        .sum();
  }

  @Override
  public void close() {
    agent.close();
  }
}
