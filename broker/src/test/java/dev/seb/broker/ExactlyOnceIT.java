package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import dev.seb.broker.identity.IdentityClients;
import dev.seb.broker.identity.IdentityMinter;
import dev.seb.broker.proposal.MutationProposalReconciler;
import dev.seb.broker.record.RecordLog;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordChainVerifier;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * A proposal is decided once and executed at most once, whatever the brokers do: two brokers on one
 * proposal, a broker stalled mid-flight, a status reset, a decision another broker recorded
 * meanwhile, a status lost after a denial or an execution, and a second decision record.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class ExactlyOnceIT {

  private static final Duration SOON = Duration.ofSeconds(30);
  private static Shop shop;

  @Inject KubernetesClient client;
  @Inject IdentityMinter minter;
  @Inject BrokerProbe probe;
  @Inject MeterRegistry meters;
  @Inject IdentityClients identities;
  @Inject MutationProposalReconciler running;
  @Inject BrokerConfig config;
  @Inject RecordLog records;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (shop == null) {
      shop = Shop.open(client, "exec-exactly-once");
    }
  }

  @Test
  void twoBrokers_onTheSameProposal_executeItExactlyOnce() {
    var other = reconciler(AnotherBroker.config(AnotherBroker.SECOND));
    // race the running broker (broker-0)
    MutationProposal created = shop.submit("twice", "scale-web", Shop.scale(5), "race two brokers");
    // do what the Operator SDK does with the second broker's answer
    var answer = other.reconcile(created, null);
    if (answer.isPatchStatus()) {
      client.resource(answer.getResource().orElseThrow()).patchStatus();
    }
    await()
        .atMost(SOON)
        .until(
            () -> {
              MutationProposal p = shop.proposal("twice");
              return p.getStatus() != null && p.getStatus().getOutcomeRecord() != null;
            });
    String uid = created.getMetadata().getUid();
    assertThat(shop.records(uid, Kind.DECISION)).hasSize(1);
    assertThat(shop.records(uid, Kind.OUTCOME)).hasSize(1);
    assertThat(shop.proposal("twice").getStatus().getExecuted()).isTrue();
    assertThat(shop.webReplicas()).isEqualTo(5);
  }

  @Test
  void aBrokerStalledMidFlight_isRecoveredByAnother_andItsWriteNeverHappens() throws Exception {
    int before = shop.webReplicas();
    int asked = before == 3 ? 4 : 3;
    try (Freezer freezer = new Freezer();
        var stalled = probe.beforeWrite(shop.ns, "freeze-it", freezer)) {
      String uid =
          shop.submit("freeze-it", "scale-web", Shop.scale(asked), "stalled broker")
              .getMetadata()
              .getUid();

      // broker-0 decided, recorded, minted, and stalls right before its write
      assertThat(freezer.reached(30)).isTrue();
      assertThat(stalled.uid()).isEqualTo(uid);
      var orphan =
          client.serviceAccounts().inNamespace("seb-system").withLabel(SebKeys.PROPOSAL_UID, uid);
      assertThat(orphan.list().getItems()).hasSize(1);

      // broker-0 restarted under the same name (a new process) finds its own name on the claim,
      // but not its own process: it waits for the claim like any other broker, never calls it a
      // replay
      var restarted = reconciler(config, records);
      var waiting = restarted.reconcile(shop.proposal("freeze-it"), null);
      assertThat(waiting.isPatchStatus()).as("no decision while the claim runs").isFalse();
      assertThat(waiting.getScheduleDelay()).isPresent();
      assertThat(shop.proposal("freeze-it").getStatus().getDecision()).isNull();

      // another broker takes over once the claim has run out
      var other = reconciler(AnotherBroker.config(AnotherBroker.SECOND));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                var answer = other.reconcile(shop.proposal("freeze-it"), null);
                if (answer.isPatchStatus()) {
                  client.resource(answer.getResource().orElseThrow()).patchStatus();
                  return true;
                }
                return false;
              });
      MutationProposalStatus recovered = shop.proposal("freeze-it").getStatus();
      assertThat(recovered.getExecuted()).isFalse();
      assertThat(recovered.getReasons().get(0).message())
          .contains("interrupted")
          .contains("exactly as it was checked");
      String decisionRecord = shop.records(uid, Kind.DECISION).get(0).getMetadata().getName();
      assertThat(shop.payload(recovered.getOutcomeRecord()).path("preState").asText())
          .as("the recovered outcome: checked state, and the same state found after")
          .startsWith("sha256:")
          .isEqualTo(shop.payload(decisionRecord).path("preState").asText())
          .isEqualTo(shop.payload(recovered.getOutcomeRecord()).path("postState").asText());
      assertThat(orphan.list().getItems()).as("the stalled broker's identity is revoked").isEmpty();
      assertThat(
              client
                  .rbac()
                  .roles()
                  .inNamespace(shop.ns)
                  .withLabel(SebKeys.PROPOSAL_UID, uid)
                  .list()
                  .getItems())
          .isEmpty();

      // the stalled broker wakes up: its write is refused, the target never changes
      freezer.release();
      await().atMost(SOON).until(() -> shop.records(uid, Kind.OUTCOME).size() == 2);
      assertThat(shop.records(uid, Kind.OUTCOME))
          .as("both brokers recorded the outcome in their chains, neither as executed")
          .allSatisfy(r -> assertThat(r.getSpec().jws()).isNotBlank())
          .extracting(r -> r.getSpec().chain())
          .containsExactlyInAnyOrder("broker-0", "broker-1");
      for (ExecutionRecord outcome : shop.records(uid, Kind.OUTCOME)) {
        String payload = Base64URL.from(outcome.getSpec().jws().split("\\.")[1]).decodeToString();
        assertThat(payload).contains("\"executed\":false");
      }
      Thread.sleep(1000); // let the stalled broker's status answer land, if it (wrongly) sent one
      assertThat(shop.webReplicas()).as("never executed").isEqualTo(before);
      MutationProposalStatus last = shop.proposal("freeze-it").getStatus();
      assertThat(last.getOutcomeRecord()).isEqualTo(recovered.getOutcomeRecord());
      assertThat(last.getExecuted()).isFalse();
    }
  }

  @Test
  void aDecidedProposalWhoseStatusIsReset_isAReplay_neverExecutedAgain() throws Exception {
    MutationProposalStatus executed =
        shop.propose(
            "create-it",
            "create-cm",
            Shop.create(
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
    var other = reconciler(AnotherBroker.config(AnotherBroker.SECOND));
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
    var answer = reconciler(AnotherBroker.config(AnotherBroker.SECOND)).reconcile(proposal, null);
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
    MutationProposalStatus claimed = new MutationProposalStatus();
    claimed.setConditions(done.getConditions());
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

  /**
   * Another broker (stalled past its claim) records its decision about the proposal and performs
   * the write after this broker checked for a decision and before it recorded its own: this
   * broker's decision record is refused, it records nothing of its own decision, revokes the
   * other's identity, and records the outcome it finds (executed), never reporting a REPLAY that
   * was executed as "not executed".
   */
  @Test
  void aDecisionRecordedByAnotherBrokerMeanwhile_isRecoveredFromTheTarget_notCalledAReplay()
      throws Exception {
    int current = shop.webReplicas();
    int wanted = current == 2 ? 3 : 2;
    Overtaker overtaker =
        new Overtaker(
            client, AnotherBroker.recordLog(client, AnotherBroker.config(AnotherBroker.SECOND)));
    MutationProposalStatus status;
    try (var hook = probe.beforeDecisionRecord(shop.ns, "overtaken", overtaker)) {
      status = shop.propose("overtaken", wanted);
    }
    assertThat(overtaker.decided).as("the other broker recorded its decision").isNotNull();
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted())
        .as("the other broker's write is what the target shows")
        .isTrue();
    assertThat(status.getDecisionRecord()).isEqualTo(overtaker.decided);
    assertThat(shop.payload(status.getOutcomeRecord()).path("executed").asBoolean()).isTrue();
    assertThat(shop.payload(status.getOutcomeRecord()).path("chain").asText())
        .isEqualTo("broker-0");
    assertThat(status.getProposalDigest())
        .startsWith("sha256:")
        .isEqualTo(
            shop.payload(overtaker.decided).path("proposal").path("proposalDigest").asText());
    assertThat(
            client
                .resources(ExecutionRecord.class)
                .inNamespace(shop.ns)
                .withName(overtaker.decided)
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry(SebKeys.CHAIN, "broker-1");
    assertThat(shop.webReplicas()).as("written once, by the other broker").isEqualTo(wanted);
    assertThat(shop.executionIdentitiesLeft()).isEmpty();
  }

  @Test
  void aSecondDecisionAboutOneProposal_isRefusedByTheApiServer_andLeavesNoGap() throws Exception {
    String uid = UUID.randomUUID().toString();
    var draft =
        RecordDraft.builder(Kind.DECISION)
            .proposal(new ProposalRef(shop.ns, "decided-twice", uid, null))
            .decision(MutationProposalStatus.Decision.ADMIT)
            .executed(false)
            .decidedAt(Instant.now())
            .build();
    // broker-0 decides first; broker-1 deciding the same proposal is refused, whatever its claim
    assertThat(records.appendDecision(draft, shop.ns)).isEqualTo(RecordLog.decisionName(uid));
    RecordLog second = AnotherBroker.recordLog(client, AnotherBroker.config(AnotherBroker.SECOND));
    assertThatThrownBy(() -> second.appendDecision(draft, shop.ns))
        .isInstanceOf(RecordLog.AlreadyDecided.class)
        .hasMessageContaining(RecordLog.decisionName(uid));
    assertThat(
            client
                .resources(ExecutionRecord.class)
                .inNamespace(shop.ns)
                .withName(RecordLog.decisionName(uid))
                .get()
                .getSpec()
                .chain())
        .isEqualTo(config.instance());
    // the refused record moved no head: broker-1's chain still verifies without a gap
    second.append(draft, shop.ns);
    List<String> chain =
        client
            .resources(ExecutionRecord.class)
            .inAnyNamespace()
            .withLabel(SebKeys.CHAIN, "broker-1")
            .list()
            .getItems()
            .stream()
            .sorted(Comparator.comparing(r -> r.getSpec().sequence()))
            .map(r -> r.getSpec().jws())
            .toList();
    RecordChainVerifier.verify(chain, JWKSet.parse(second.publicKeys().toString()), "broker-1");
  }

  private MutationProposalReconciler reconciler(BrokerConfig broker) {
    return reconciler(broker, AnotherBroker.recordLog(client, broker));
  }

  private MutationProposalReconciler reconciler(BrokerConfig broker, RecordLog log) {
    return AnotherBroker.reconciler(client, broker, log, minter, identities, meters, probe);
  }
}
