package dev.seb.local;

import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MutationProposal;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the scenario reads back from the API server as admin, in {@code shop}: waits for the
 * operator's and the broker's verdicts (each at most a minute, then a failure naming what it waited
 * for), the workload's replicas and a proposal's uid.
 */
final class ScenarioCluster {

  private static final String NS = Shop.NAMESPACE;
  private static final Duration DECIDED = Duration.ofSeconds(60);

  private final KubernetesClient admin;
  private final String suffix;

  ScenarioCluster(KubernetesClient admin, String suffix) {
    this.admin = admin;
    this.suffix = suffix;
  }

  /** How many Mandates earlier runs left in {@code shop}. */
  static int earlierRuns(KubernetesClient admin) {
    return admin.resources(Mandate.class).inNamespace(NS).list().getItems().size();
  }

  /** Waits until the operator marks the contract {@code Certified}. */
  void awaitCertified(String contract) {
    await(
        "contract " + contract + suffix + " to be Certified by the operator",
        () ->
            admin
                .resources(ExecutionContract.class)
                .inNamespace(NS)
                .withName(contract + suffix)
                .waitUntilCondition(
                    c ->
                        c != null
                            && c.getStatus() != null
                            && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream()
                                .anyMatch(
                                    x ->
                                        "Certified".equals(x.getType())
                                            && "True".equals(x.getStatus())),
                    DECIDED.toSeconds(),
                    TimeUnit.SECONDS));
  }

  /** Waits until the mandate is in {@code phase}. */
  void awaitMandate(String mandate, MandateStatus.Phase phase) {
    await(
        "mandate " + mandate + suffix + " to be " + phase,
        () ->
            admin
                .resources(Mandate.class)
                .inNamespace(NS)
                .withName(mandate + suffix)
                .waitUntilCondition(
                    m -> m != null && m.getStatus() != null && m.getStatus().getPhase() == phase,
                    DECIDED.toSeconds(),
                    TimeUnit.SECONDS));
  }

  /** Waits until the broker has decided the proposal, and returns it. */
  MutationProposal awaitDecided(String proposal) {
    return await(
        "the broker to decide " + proposal + suffix,
        () ->
            admin
                .resources(MutationProposal.class)
                .inNamespace(NS)
                .withName(proposal + suffix)
                .waitUntilCondition(
                    p -> p != null && p.getStatus() != null && p.getStatus().getDecision() != null,
                    DECIDED.toSeconds(),
                    TimeUnit.SECONDS));
  }

  /** {@code shop/web}'s replicas. */
  int replicas() {
    Deployment web = admin.apps().deployments().inNamespace(NS).withName("web").get();
    return web.getSpec().getReplicas();
  }

  /** The proposal's uid, which its records carry. */
  String uid(String proposal) {
    return admin
        .resources(MutationProposal.class)
        .inNamespace(NS)
        .withName(proposal + suffix)
        .get()
        .getMetadata()
        .getUid();
  }

  private static <T> T await(String what, Supplier<T> wait) {
    try {
      return wait.get();
    } catch (KubernetesClientTimeoutException e) {
      throw new LocalStackException("timed out waiting for " + what, e);
    }
  }

  static KubernetesClient client(Path kubeconfig) {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
    }
  }
}
