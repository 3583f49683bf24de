package dev.seb.broker;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/** The broker boots against a real API server with seb's CRDs and reports live and ready. */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class BrokerHealthIT {

  @jakarta.inject.Inject io.fabric8.kubernetes.client.KubernetesClient client;

  @Test
  void bootsAgainstARealApiServer_isLive() {
    given()
        .when()
        .get("/q/health/live")
        .then()
        .log()
        .ifValidationFails()
        .statusCode(200)
        .body("status", equalTo("UP"));
  }

  @Test
  void withItsReconcilerRunning_andItsRecordChainHeld_isReady() {
    // the chain's Lease lives in the broker's namespace, and is taken a moment after that exists
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("seb-system")
                .endMetadata()
                .build())
        .serverSideApply();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .when()
                    .get("/q/health/ready")
                    .then()
                    .log()
                    .ifValidationFails()
                    .statusCode(200)
                    .body("status", equalTo("UP"))
                    .body(
                        "checks.name",
                        hasItem("Quarkus Operator SDK health check"),
                        "checks.name",
                        hasItem("seb-record-chain")));
  }
}
