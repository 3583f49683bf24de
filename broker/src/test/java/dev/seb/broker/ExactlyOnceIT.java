package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import dev.seb.broker.record.RecordLog;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordChainVerifier;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
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
  @Inject BrokerProbe probe;
  @Inject AnotherBroker brokers;
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
    var other = brokers.reconciler(AnotherBroker.second());
    // race the running broker (broker-0)
    MutationProposal created =
        shop.submit("twice", "scale-web", Operations.scale(5), "race two brokers");
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
          shop.submit("freeze-it", "scale-web", Operations.scale(asked), "stalled broker")
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
      var restarted = brokers.reconciler(config, records);
      var waiting = restarted.reconcile(shop.proposal("freeze-it"), null);
      assertThat(waiting.isPatchStatus()).as("no decision while the claim runs").isFalse();
      assertThat(waiting.getScheduleDelay()).isPresent();
      assertThat(shop.proposal("freeze-it").getStatus().getDecision()).isNull();

      // another broker takes over once the claim has run out
      var other = brokers.reconciler(AnotherBroker.second());
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
      // for a while after: the stalled broker's status answer, had it (wrongly) sent one, would
      // land
      await()
          .during(Duration.ofSeconds(1))
          .atMost(SOON)
          .untilAsserted(
              () -> {
                assertThat(shop.webReplicas()).as("never executed").isEqualTo(before);
                MutationProposalStatus last = shop.proposal("freeze-it").getStatus();
                assertThat(last.getOutcomeRecord()).isEqualTo(recovered.getOutcomeRecord());
                assertThat(last.getExecuted()).isFalse();
              });
    }
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
    Overtaker overtaker = new Overtaker(client, brokers.recordLog(AnotherBroker.second()));
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
    RecordLog second = brokers.recordLog(AnotherBroker.second());
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
}
