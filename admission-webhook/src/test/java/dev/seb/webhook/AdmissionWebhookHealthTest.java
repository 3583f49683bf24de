package dev.seb.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The admission webhook starts and reports itself live and ready. */
@QuarkusTest
class AdmissionWebhookHealthTest {

  @Test
  void startsAndReportsLiveAndReady() {
    given()
        .when()
        .get("/q/health/live")
        .then()
        .log()
        .ifValidationFails()
        .statusCode(200)
        .body("status", equalTo("UP"));
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .log()
        .ifValidationFails()
        .statusCode(200)
        .body("status", equalTo("UP"));
  }
}
