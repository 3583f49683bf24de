package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.SebKeys;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.OperationType;
import dev.seb.testing.RefusingPolicy;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * An error that escapes the broker's pipeline shows on the proposal ({@code Decided=False
 * ReconcileError}), and the report never carries what the failed reconcile could not store. The
 * cause is real: a ValidatingAdmissionPolicy refuses every status of a labelled proposal that holds
 * a claim, so the broker's claim fails with an error other than a conflict.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class ReconcileErrorIT {

  private static final String NS = "exec-reconcile-error";
  private static final String LABEL = "seb.test/refuse-claim";
  private static final String MESSAGE = "seb test: no claim on this proposal";
  private static final Duration SOON = Duration.ofSeconds(60);

  @Inject KubernetesClient client;
  @Inject dev.seb.broker.proposal.MutationProposalReconciler running;

  @Test
  void aRefusedClaim_isReportedAsReconcileError_withoutTheClaim_andDecidedOnceItPasses() {
    BrokerTestGround.namespaces(client, NS, "seb-system");
    try (RefusingPolicy policy =
        RefusingPolicy.install(
            client,
            "seb-test-refuse-claim",
            """
                objectSelector:
                  matchLabels: {"%s": "true"}
                resourceRules:
                  - apiGroups: ["seb.dev"]
                    apiVersions: ["v1alpha1"]
                    operations: ["UPDATE"]
                    resources: ["mutationproposals/status"]
            """
                .formatted(LABEL),
            "!has(object.status) || !has(object.status.claim)",
            MESSAGE)) {
      MutationProposal probe = submit("probe");
      policy.awaitEnforced(kube -> claimDryRun(probe));
      submit("refused");
      await()
          .atMost(SOON)
          .untilAsserted(
              () ->
                  assertThat(
                          Conditions.find(status("refused").getConditions(), "Decided")
                              .map(c -> c.getStatus() + " " + c.getReason() + " " + c.getMessage()))
                      .hasValueSatisfying(
                          c -> assertThat(c).startsWith("False ReconcileError").contains(MESSAGE)));
      MutationProposalStatus reported = status("refused");
      assertThat(reported.getClaim()).as("the refused claim is not reported").isNull();
      assertThat(reported.getDecision()).isNull();
      assertThat(reported.getExecuted()).isNull();
    }
    // the broker retries: once the claim passes, the proposal is decided as any other
    await()
        .atMost(SOON)
        .untilAsserted(() -> assertThat(status("refused").getDecision()).isNotNull());
    assertThat(Conditions.find(status("refused").getConditions(), "Decided"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
  }

  /**
   * The error handler gets the object the failed reconcile worked on, which can be older than what
   * is stored: another broker may have decided the proposal meanwhile. Its decision is never
   * overwritten (the report is written only on the stored proposal, conditioned on its
   * resourceVersion, and only while undecided).
   */
  @Test
  void anErrorOnAStaleCopy_neverOverwritesAnotherBrokersDecision() throws Exception {
    Shop shop = Shop.open(client, "exec-reconcile-error-stale");
    shop.submit("decided-meanwhile", "scale-web", Operations.scale(3), "test");
    MutationProposal stale =
        client
            .resources(MutationProposal.class)
            .inNamespace(shop.ns)
            .withName("decided-meanwhile")
            .get();
    stale.setStatus(null); // as the failed reconcile saw it: before anyone decided
    MutationProposalStatus decided =
        BrokerTestGround.awaitDecided(client, shop.ns, "decided-meanwhile");

    var control = running.updateErrorStatus(stale, null, new RuntimeException("timed out"));
    assertThat(control.getResource()).as("nothing for the framework to patch").isEmpty();
    assertThat(shop.proposal("decided-meanwhile").getStatus())
        .usingRecursiveComparison()
        .isEqualTo(decided);
  }

  private MutationProposal submit(String name) {
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .withLabels(Map.of(LABEL, "true"))
            .withAnnotations(Map.of(SebKeys.SUBMITTED_BY, Shop.AGENT))
            .build());
    proposal.setSpec(
        new MutationProposalSpec(
            "planner",
            "no-such-contract",
            new MutationProposalSpec.Operation(
                OperationType.SCALE, 3, null, null, null, null, null),
            null,
            "test"));
    return client.resource(proposal).create();
  }

  private MutationProposalStatus status(String name) {
    MutationProposal p =
        client.resources(MutationProposal.class).inNamespace(NS).withName(name).get();
    return p.getStatus() == null ? new MutationProposalStatus() : p.getStatus();
  }

  /** A dry run of a claim on {@code probe}: the policy refuses it once enforced. */
  private void claimDryRun(MutationProposal probe) {
    MutationProposal current = client.resource(probe).get();
    MutationProposalStatus status =
        current.getStatus() == null ? new MutationProposalStatus() : current.getStatus();
    status.setClaim(new MutationProposalStatus.Claim("dry-run", "dry-run", "2026-01-01T00:00:00Z"));
    current.setStatus(status);
    client.resource(current).dryRun().updateStatus();
  }
}
