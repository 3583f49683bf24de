package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.broker.proposal.MutationProposalReconciler;
import dev.seb.broker.record.RecordLog;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * What a broker recorded about a proposal stands when its status is lost or reset: a reset executed
 * proposal is a replay, never executed again; a recorded denial or execution whose status write was
 * lost is restored from its records, not decided again.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class RecordedDecisionIT {

  private static Shop shop;

  @Inject KubernetesClient client;
  @Inject AnotherBroker brokers;
  @Inject MutationProposalReconciler running;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (shop == null) {
      shop = Shop.open(client, "exec-recorded-decision");
    }
  }

  @Test
  void aDecidedProposalWhoseStatusIsReset_isAReplay_neverExecutedAgain() throws Exception {
    MutationProposalStatus executed =
        shop.propose(
            "create-it",
            "create-cm",
            Operations.create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "created"},
                 "data": {"mode": "calm"}}
                """));
    assertThat(executed.getExecuted()).as(String.valueOf(executed.getReasons())).isTrue();
    MutationProposal decided = shop.proposal("create-it");
    assertThat(decided.getStatus().getExecuted()).isTrue();
    String firstOutcome = decided.getStatus().getOutcomeRecord();
    String firstDecision = decided.getStatus().getDecisionRecord();
    decided.setStatus(new MutationProposalStatus());
    MutationProposal reset = client.resource(decided).updateStatus();
    client.configMaps().inNamespace(shop.ns).withName("created").delete(); // a create would work

    // a broker that sees it again (after a restart, or another replica) refuses to decide twice
    var other = brokers.reconciler(AnotherBroker.second());
    var answer = other.reconcile(reset, null);
    assertThat(answer.isPatchStatus()).isTrue();
    MutationProposalStatus status = answer.getResource().orElseThrow().getStatus();
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.REPLAY);
    assertThat(status.getReasons().get(0).message())
        .as("the replay is not executed, the first decision was: the message says where")
        .contains(firstDecision)
        .contains("outcome record " + firstOutcome + " says executed=true");
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getOutcomeRecord()).isNotEqualTo(firstOutcome);
    // the first decision is stored under the proposal's decision name, which can exist once; the
    // replay's denial is stored under its chain name
    assertThat(firstDecision).isEqualTo(RecordLog.decisionName(decided.getMetadata().getUid()));
    assertThat(status.getDecisionRecord()).startsWith("broker-1-");
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.configMaps().inNamespace(shop.ns).withName("created").get() == null);
  }

  /**
   * A broker that recorded a denial and died before writing the status: once its claim ran out, the
   * denial stands as recorded (reason and record), not decided again as a REPLAY, and no second
   * record is written.
   */
  @Test
  void aDenialRecordedByABrokerThatDiedBeforeTheStatus_standsAsRecorded() {
    MutationProposalStatus first = shop.propose("denied-then-died", 6);
    assertThat(first.getReasons().get(0).code()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    MutationProposal proposal = shop.proposal("denied-then-died");
    String uid = proposal.getMetadata().getUid();
    int recorded = shop.records(uid).size();
    // the status as the dead broker left it: its claim (run out), no decision
    MutationProposalStatus left = new MutationProposalStatus();
    left.setClaim(new MutationProposalStatus.Claim("broker-9", "deadbeef", "2026-01-01T00:00:00Z"));
    proposal.setStatus(left);
    proposal = client.resource(proposal).updateStatus();
    // another broker meets it (a status-only change is no event for the running one)
    var answer = brokers.reconciler(AnotherBroker.second()).reconcile(proposal, null);
    assertThat(answer.isPatchStatus()).isTrue();
    client.resource(answer.getResource().orElseThrow()).patchStatus();
    MutationProposalStatus now = shop.proposal("denied-then-died").getStatus();
    assertThat(now.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(now.getReasons()).isEqualTo(first.getReasons());
    assertThat(now.getDecisionRecord()).isEqualTo(RecordLog.decisionName(uid));
    assertThat(now.getProposalDigest()).isEqualTo(first.getProposalDigest());
    assertThat(now.getExecuted()).isFalse();
    assertThat(shop.records(uid).size()).as("nothing recorded a second time").isEqualTo(recorded);
  }

  /**
   * The broker executed a proposal but its status write was lost, and the same process reconciles
   * it again (the Operator SDK retries): what it recorded stands, it is not decided again (which
   * would read as a REPLAY, "not executed") nor executed again.
   */
  @Test
  void anExecutionWhoseStatusWriteWasLost_isRestoredFromItsRecords_notReplayed() {
    int current = shop.webReplicas();
    int wanted = current == 2 ? 3 : 2;
    MutationProposalStatus done = shop.propose("status-lost", wanted);
    assertThat(done.getExecuted()).isTrue();
    MutationProposal proposal = shop.proposal("status-lost");
    String uid = proposal.getMetadata().getUid();
    int recorded = shop.records(uid).size();
    // the status as it was before the lost write: this process's claim only
    assertThat(done.getClaim()).as("the claim stays, naming its last holder").isNotNull();
    MutationProposalStatus claimed = new MutationProposalStatus();
    claimed.setClaim(done.getClaim());
    proposal.setStatus(claimed);
    proposal = client.resource(proposal).updateStatus();

    var answer = running.reconcile(proposal, null);
    assertThat(answer.isPatchStatus()).isTrue();
    client.resource(answer.getResource().orElseThrow()).patchStatus();
    MutationProposalStatus now = shop.proposal("status-lost").getStatus();
    assertThat(now.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(now.getExecuted()).isTrue();
    assertThat(now.getReasons()).isEmpty();
    assertThat(now.getDecisionRecord()).isEqualTo(done.getDecisionRecord());
    assertThat(now.getOutcomeRecord()).isEqualTo(done.getOutcomeRecord());
    assertThat(now.getProposalDigest()).isEqualTo(done.getProposalDigest());
    assertThat(shop.records(uid).size()).as("nothing recorded a second time").isEqualTo(recorded);
    assertThat(shop.webReplicas()).isEqualTo(wanted);
  }
}
