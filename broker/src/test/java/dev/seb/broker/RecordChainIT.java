package dev.seb.broker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.nimbusds.jose.jwk.JWKSet;
import dev.seb.broker.record.ChainLease;
import dev.seb.broker.record.RecordLog;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.record.ChainSummary;
import dev.seb.contracts.record.ProposalRef;
import dev.seb.contracts.record.RecordChainVerifier;
import dev.seb.contracts.record.RecordDraft;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * The record chain: the exported chain verifies under the published key, a record that cannot be
 * stored leaves no gap, and one process writes a chain at a time (its Lease is handed over).
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class RecordChainIT {

  private static final Duration SOON = Duration.ofSeconds(30);
  private static Shop shop;

  @Inject KubernetesClient client;
  @Inject BrokerProbe probe;
  @Inject AnotherBroker brokers;
  @Inject BrokerConfig config;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (shop == null) {
      shop = Shop.open(client, "exec-record-chain");
    }
  }

  @Test
  void exportedChain_verifiesUnderThePublishedKey() throws Exception {
    // decision + outcome for a scale, a patch and a raced scale; a denial each for scope and drift
    assertThat(shop.propose("scale-to-4", 4).getExecuted()).isTrue();
    assertThat(
            shop.propose(
                    "annotate",
                    "annotate-web",
                    Operations.mergePatch(
                        "{\"spec\": {\"template\": {\"metadata\": {\"annotations\": {\"seb.dev/reason\": \"peak\"}}}}}"))
                .getExecuted())
        .isTrue();
    probe.beforeWrite(shop.ns, "race", new WindowRacer(client));
    assertThat(shop.propose("race", 3).getExecuted()).isFalse();
    assertThat(shop.propose("scale-to-6", 6).getReasons().get(0).code())
        .isEqualTo(ReasonCode.SCOPE_VIOLATION);
    shop.setImage("evil:latest");
    assertThat(shop.propose("scale-to-3", 3).getReasons().get(0).code())
        .isEqualTo(ReasonCode.DRIFT_DETECTED);
    shop.setImage(Shop.IMAGE);
    Set<String> proposed = Set.of("scale-to-4", "annotate", "race", "scale-to-6", "scale-to-3");

    String auditor = Tokens.clusterAuditor(client);
    ChainSummary summary = BrokerTestGround.exportedChain(auditor);
    // (other test classes of this application add records of their own namespaces, and notices,
    // to the same chain)
    assertThat(
            summary.records().stream()
                .filter(r -> r.content().proposal() != null)
                .filter(r -> shop.ns.equals(r.content().proposal().namespace()))
                .filter(r -> proposed.contains(r.content().proposal().name()))
                .count())
        .isEqualTo(8);
    assertThat(
            given()
                .header("Authorization", "Bearer " + auditor)
                .when()
                .get("/v1/records?after=1")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .count())
        .isEqualTo(summary.count() - 2);
  }

  @Test
  void aRecordThatCannotBeStored_leavesNoGap_theNextOneFollowsTheLastStored() throws Exception {
    RecordLog log = brokers.recordLog(AnotherBroker.second());
    ProposalRef ref = new ProposalRef(shop.ns, "gap", "00000000-0000-0000-0000-000000000001", null);
    var draft =
        RecordDraft.builder(Kind.DENIAL)
            .proposal(ref)
            .decision(MutationProposalStatus.Decision.DENY)
            .reason(ReasonCode.SCOPE_VIOLATION, "test")
            .executed(false)
            .decidedAt(Instant.now())
            .build();
    assertThatThrownBy(() -> log.append(draft, "no-such-namespace"))
        .isInstanceOf(KubernetesClientException.class);
    log.append(draft, shop.ns);

    String jwks = log.publicKeys().toString();
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
    RecordChainVerifier.verify(chain, JWKSet.parse(jwks), "broker-1");
  }

  /**
   * One writer per chain: a second process under the running broker's instance name cannot write
   * its chain (nor decide) while the first holds the chain's Lease, and takes the chain over only
   * once the first gives it up.
   */
  @Test
  void aSecondProcessUnderTheSameInstanceName_writesNothing_untilTheChainIsHandedOver() {
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                given()
                    .when()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("checks.find { it.name == 'seb-record-chain' }.status", equalTo("UP")));
    ChainLease duplicate = new ChainLease(client, config).start();
    try {
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .until(() -> !duplicate.held());
      RecordLog log = new RecordLog(client, config, Clock.systemUTC(), duplicate);
      var draft =
          RecordDraft.builder(Kind.DENIAL)
              .proposal(new ProposalRef(shop.ns, "forked", UUID.randomUUID().toString(), null))
              .decision(MutationProposalStatus.Decision.DENY)
              .reason(ReasonCode.INTERNAL_ERROR, "a fork")
              .executed(false)
              .decidedAt(Instant.now())
              .build();
      assertThatThrownBy(() -> log.append(draft, shop.ns))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not hold record chain broker-0");
      MutationProposal proposal = new MutationProposal();
      proposal.setMetadata(
          new ObjectMetaBuilder().withName("forked").withNamespace(shop.ns).build());
      var answer = brokers.reconciler(config, log).reconcile(proposal, null);
      assertThat(answer.isNoUpdate()).as("nothing claimed, nothing decided").isTrue();
      assertThat(answer.getScheduleDelay()).isPresent();
    } finally {
      duplicate.stop();
    }

    BrokerConfig seventh = AnotherBroker.config("broker-7");
    ChainLease first = new ChainLease(client, seventh).start();
    ChainLease second = new ChainLease(client, seventh).start();
    try {
      await().atMost(SOON).until(() -> first.held() || second.held());
      ChainLease holder = first.held() ? first : second;
      ChainLease waiting = holder == first ? second : first;
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .until(() -> !waiting.held());
      holder.stop();
      await().atMost(SOON).until(waiting::held);
      assertThat(holder.held()).isFalse();

      // a process that finds the Lease held by another (it was stalled, and another took over)
      // stops writing within the renew deadline, and competes again once that lease runs out
      client
          .resources(Lease.class)
          .inNamespace("seb-system")
          .withName(ChainLease.name("broker-7"))
          .edit(
              lease -> {
                lease.getSpec().setHolderIdentity("a stalled process");
                lease.getSpec().setRenewTime(ZonedDateTime.now());
                lease.getSpec().setLeaseDurationSeconds(15);
                return lease;
              });
      await().atMost(Duration.ofSeconds(20)).until(() -> !waiting.held());
      await().atMost(Duration.ofSeconds(40)).until(waiting::held);
    } finally {
      first.stop();
      second.stop();
    }
  }
}
