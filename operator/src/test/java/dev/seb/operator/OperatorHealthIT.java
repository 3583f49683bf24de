package dev.seb.operator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.seb.testing.QuarkusClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * The operator boots against a real API server and exposes health endpoints. Until it registers its
 * reconcilers, the Operator SDK does not start, so readiness correctly reports DOWN.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
@QuarkusTestResource(value = QuarkusClusterResource.class, restrictToAnnotatedClass = true)
class OperatorHealthIT {

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
  void readiness_reportsTheOperatorSdk() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .log()
        .ifValidationFails()
        .body("checks.name", hasItem("Quarkus Operator SDK health check"));
  }
}
