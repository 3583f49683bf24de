package dev.seb.broker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.seb.contracts.admission.AdmissionRequest;
import dev.seb.contracts.notice.Notice;
import dev.seb.contracts.record.ChainSummary;
import dev.seb.contracts.record.RecordClaims;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec.Kind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * The broker's two authenticated endpoints on a real API server: notices ({@code POST /v1/notices})
 * are accepted only from the admission webhook's ServiceAccount and become one signed record per
 * admission; the record export ({@code GET /v1/records}) is read only with the RBAC to list
 * ExecutionRecords where it is asked for. Every refusal stores nothing.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class BrokerNoticesIT {

  private static final String SEB = "seb-system";

  @Inject KubernetesClient client;

  private static String webhookToken;
  private static String agentToken;
  private static String lookalikeToken;

  @BeforeEach
  void tokens() {
    if (webhookToken == null) {
      webhookToken = Tokens.of(client, SEB, "seb-admission-webhook");
      agentToken = Tokens.of(client, "agents", "planner");
      // the agent's own account, named like the webhook's, in a namespace it controls
      lookalikeToken = Tokens.of(client, "agents", "seb-admission-webhook");
    }
  }

  private static Notice breakGlass(String uid) {
    return Notice.of(
        Kind.BREAK_GLASS,
        uid,
        new AdmissionRequest(
            "UPDATE",
            "",
            "configmaps",
            null,
            "shop",
            "settings",
            "oncall",
            Set.of("seb:break-glass", "system:authenticated"),
            null,
            null));
  }

  private io.restassured.response.ValidatableResponse post(String token, Notice notice) {
    var request = given().contentType("application/json").body(notice.toJson().toString());
    if (token != null) {
      request = request.header("Authorization", "Bearer " + token);
    }
    return request.when().post("/v1/notices").then();
  }

  private ExecutionRecord stored(Notice notice) {
    return client
        .resources(ExecutionRecord.class)
        .inNamespace(SEB)
        .withName(notice.recordName())
        .get();
  }

  @Test
  void forgedNotices_areRefused_andLeaveNoRecord() {
    Notice forged = breakGlass(UUID.randomUUID().toString());

    post(null, forged).statusCode(401).body(containsString("Authorization: Bearer"));
    post("not-a-token", forged).statusCode(401).body(containsString("does not accept this token"));
    post(agentToken, forged)
        .statusCode(403)
        .body(containsString("system:serviceaccount:agents:planner is not"));
    post(lookalikeToken, forged)
        .statusCode(403)
        .body(containsString("system:serviceaccount:agents:seb-admission-webhook is not"));

    assertThat(stored(forged)).isNull();
  }

  @Test
  void theWebhooksNotice_becomesOneSignedBreakGlassRecord_thatVerifiesInTheChain()
      throws Exception {
    Notice notice = breakGlass(UUID.randomUUID().toString());

    post(webhookToken, notice).statusCode(201).body(containsString("\"stored\":true"));
    post(webhookToken, notice).statusCode(200).body(containsString("\"stored\":false"));

    ExecutionRecord record = stored(notice);
    assertThat(record).isNotNull();
    assertThat(record.getSpec().kind()).isEqualTo(Kind.BREAK_GLASS);
    ChainSummary summary = BrokerTestGround.exportedChain(Tokens.clusterAuditor(client));
    List<RecordClaims> aboutThisAdmission =
        summary.records().stream()
            .filter(
                r ->
                    r.content().admission() != null
                        && r.content().admission().uid().equals(notice.admission().uid()))
            .toList();
    assertThat(aboutThisAdmission).hasSize(1);
    RecordClaims claims = aboutThisAdmission.get(0);
    assertThat(claims.kind()).isEqualTo(Kind.BREAK_GLASS);
    assertThat(claims.executed()).isFalse();
    assertThat(claims.content().admission()).isEqualTo(notice.admission());
    assertThat(claims.content().admission().summary())
        .isEqualTo("oncall update configmaps shop/settings");
  }

  @Test
  void theSameAdmissionSentConcurrently_isRecordedOnce() throws Exception {
    Notice notice = breakGlass(UUID.randomUUID().toString());
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> post(webhookToken, notice).extract().statusCode()));
      }
      List<Integer> codes = new java.util.ArrayList<>();
      for (var answer : answers) {
        codes.add(answer.get());
      }
      assertThat(codes).containsOnly(200, 201).containsOnlyOnce(201);
    } finally {
      pool.shutdownNow();
    }
    String uid = notice.admission().uid();
    assertThat(
            client.resources(ExecutionRecord.class).inNamespace(SEB).list().getItems().stream()
                .filter(r -> r.getMetadata().getName().endsWith(uid)))
        .hasSize(1);
  }

  @Test
  void recordExport_needsATokenAndTheRightToListRecordsWhereItIsAsked() {
    given().when().get("/v1/records").then().statusCode(401);
    given()
        .header("Authorization", "Bearer " + agentToken)
        .when()
        .get("/v1/records?namespace=" + SEB)
        .then()
        .statusCode(403)
        .body(containsString("may not list executionrecords.seb.dev in namespace seb-system"));
    Notice notice = breakGlass(UUID.randomUUID().toString());
    post(webhookToken, notice).statusCode(201);
    String jws = stored(notice).getSpec().jws();
    String nsAuditor = Tokens.namespaceAuditor(client, SEB);
    given()
        .header("Authorization", "Bearer " + nsAuditor)
        .when()
        .get("/v1/records")
        .then()
        .statusCode(403)
        .body(containsString("in all namespaces"));
    String ownNamespace =
        given()
            .header("Authorization", "Bearer " + nsAuditor)
            .when()
            .get("/v1/records?namespace=" + SEB)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(ownNamespace.lines()).contains(jws);
    given()
        .header("Authorization", "Bearer " + nsAuditor)
        .when()
        .get("/v1/records?namespace=shop")
        .then()
        .statusCode(403);
  }
}
