package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.broker.execution.Failpoints;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * The broker started with {@code seb.broker.failpoint=decided} holds a new admitted proposal after
 * its decision record and before minting: it says so in one WARN line, mints nothing while it
 * holds, and goes on unchanged once the hold elapsed.
 */
@QuarkusTest
@TestProfile(FailpointIT.Decided.class)
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class FailpointIT {

  /** Holds at decided for three seconds (claims last six in tests: the claim outlives the hold). */
  public static class Decided implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("seb.broker.failpoint", "decided", "seb.broker.failpoint-hold", "PT3S");
    }
  }

  private static final Duration HOLD = Duration.ofSeconds(3);

  @Inject KubernetesClient client;
  @Inject BrokerConfig config;

  @Test
  void aNewProposal_isHeldAfterItsDecisionRecord_mintsNothingMeanwhile_thenExecutes()
      throws Exception {
    Shop shop = Shop.open(client, "exec-failpoint");
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
              lines.add(record.getLevel() + " " + ext.getFormattedMessage());
            } else {
              lines.add(record.getLevel() + " " + record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(Failpoints.class.getName());
    logger.addHandler(handler);
    try {
      String uid =
          shop.submit("held", "scale-web", Operations.scale(4), "held at decided")
              .getMetadata()
              .getUid();
      String line = "WARN failpoint decided holds " + shop.ns + "/held uid " + uid;
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> lines.stream().anyMatch(l -> l.startsWith(line)));
      // held: the decision is recorded, no identity is minted for it
      // (checked throughout the hold but its last second, which the decision thread may end early)
      await("nothing minted or written while held")
          .during(HOLD.minusSeconds(1))
          .atMost(HOLD.plusSeconds(1))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                assertThat(
                        client
                            .serviceAccounts()
                            .inNamespace(config.namespace())
                            .withLabel(SebKeys.PROPOSAL_UID, uid)
                            .list()
                            .getItems())
                    .as("identities minted while held")
                    .isEmpty();
                assertThat(shop.webReplicas()).isEqualTo(2);
              });
      // then it goes on: executed, as without the failpoint
      MutationProposalStatus status = BrokerTestGround.awaitDecided(client, shop.ns, "held");
      assertThat(status.getExecuted()).as(String.valueOf(status.getReasons())).isTrue();
      assertThat(shop.webReplicas()).isEqualTo(4);
      assertThat(lines).filteredOn(l -> l.contains(" holds ")).hasSize(1);
    } finally {
      logger.removeHandler(handler);
    }
  }
}
