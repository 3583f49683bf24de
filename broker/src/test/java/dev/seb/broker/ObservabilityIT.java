package dev.seb.broker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.broker.proposal.MutationProposalReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * What operators see of the broker: decisions counted by decision and reason for Prometheus (never
 * per proposal), and log lines about a proposal carrying it as structured fields.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class ObservabilityIT {

  private static Shop shop;

  @Inject KubernetesClient client;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (shop == null) {
      shop = Shop.open(client, "exec-observability");
    }
  }

  @Test
  void decisions_areCountedByDecisionAndReason_forPrometheus() {
    assertThat(shop.propose("scale-to-4", 4).getExecuted()).isTrue(); // admitted and executed
    assertThat(shop.propose("scale-to-6", 6).getExecuted()).isFalse(); // outside the mandate
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains(
            "seb_broker_decisions_total{decision=\"ADMIT\",executed=\"true\",reason=\"NONE\"}")
        .contains(
            "seb_broker_decisions_total{decision=\"DENY\",executed=\"false\",reason=\"SCOPE_VIOLATION\"}")
        .contains("seb_broker_stage_seconds_count{stage=\"execute\"}")
        .contains("seb_broker_read_seconds_count{input=\"records\"}")
        // reconciler metrics per controller, never per proposal: their number would grow forever
        .contains("operator_sdk_")
        .doesNotContain("scale-to-4");
  }

  @Test
  void logLinesAboutAProposal_carryItAsStructuredFields() {
    List<LogRecord> captured = Collections.synchronizedList(new ArrayList<>());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
              ext.copyAll(); // the MDC as it was on the logging thread
            }
            captured.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    // every logger of the broker: the line that reports a decision may come from any of its steps
    Logger logger = Logger.getLogger("dev.seb.broker");
    logger.addHandler(handler);
    try {
      shop.propose("log-me", 9); // outside the mandate: denied, and logged
      String uid = shop.proposal("log-me").getMetadata().getUid();
      assertThat(captured)
          .filteredOn(r -> String.valueOf(r.getMessage()).contains("DENY"))
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r).isInstanceOf(ExtLogRecord.class);
                var ext = (ExtLogRecord) r;
                assertThat(ext.getMdc(MutationProposalReconciler.MDC_PROPOSAL))
                    .isEqualTo(shop.ns + "/log-me");
                assertThat(ext.getMdc(MutationProposalReconciler.MDC_PROPOSAL_UID)).isEqualTo(uid);
              });
    } finally {
      logger.removeHandler(handler);
    }
  }
}
