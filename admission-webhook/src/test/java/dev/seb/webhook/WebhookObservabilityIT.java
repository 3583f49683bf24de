package dev.seb.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.testing.Cluster;
import dev.seb.testing.QuarkusClusterResource;
import dev.seb.testing.tracing.InMemorySpans;
import dev.seb.testing.tracing.TracingProfile;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * What operators of seb see of the webhook's answers: metrics on {@code /q/metrics}, a trace per
 * AdmissionReview, and a Kubernetes Event for every break-glass write it allows. Reviews are posted
 * as the API server would post them; the broker is stood in for by {@link NoticeSinkResource}, the
 * Events land on a real API server.
 */
@QuarkusTest
@QuarkusTestResource(value = NoticeSinkResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = QuarkusClusterResource.class, restrictToAnnotatedClass = true)
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
@TestProfile(WebhookObservabilityIT.Tracing.class)
class WebhookObservabilityIT {

  /** Tracing on, spans in memory, nothing exported. */
  public static class Tracing extends TracingProfile {}

  private static final Duration SOON = Duration.ofSeconds(20);

  Cluster cluster;

  @Inject InMemorySpanExporter spans;

  private static String review(String uid, String user, String group, boolean dryRun) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
          "uid":"%s",
          "kind":{"group":"","version":"v1","kind":"ConfigMap"},
          "resource":{"group":"","version":"v1","resource":"configmaps"},
          "name":"settings","namespace":"shop","operation":"UPDATE",
          "userInfo":{"username":"%s","groups":["%s","system:authenticated"]},
          "object":{"apiVersion":"v1","kind":"ConfigMap",
            "metadata":{"name":"settings","namespace":"shop"},"data":{"a":"2"}},
          "oldObject":{"apiVersion":"v1","kind":"ConfigMap",
            "metadata":{"name":"settings","namespace":"shop"},"data":{"a":"1"}},
          "dryRun":%s}}
        """
        .formatted(uid, user, group, dryRun);
  }

  private static String post(String body) {
    return given()
        .contentType("application/json")
        .body(body)
        .post("/validate/protected")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  private List<Event> eventsAbout(KubernetesClient admin, String namespace) {
    return admin
        .v1()
        .events()
        .inNamespace("default")
        .withField("involvedObject.name", namespace)
        .list()
        .getItems();
  }

  @Test
  void aRecordedBreakGlassWrite_isAnEvent_isCounted_andIsTraced() {
    try (KubernetesClient admin = cluster.newAdminClient()) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
          .create();
      String uid = UUID.randomUUID().toString();

      // a dry run is allowed with its warning, and not recorded: no Event
      assertThat(post(review("dry-" + uid, "oncall", "seb:break-glass", true)))
          .contains("\"allowed\":true");
      // the real write: recorded by the broker, allowed, an Event on the namespace
      assertThat(post(review(uid, "oncall", "seb:break-glass", false)))
          .contains("\"allowed\":true")
          .contains("seb.dev/break-glass");
      // an agent: denied, no Event
      assertThat(post(review("agent-" + uid, "system:serviceaccount:shop:agent", "x", false)))
          .contains("\"allowed\":false");

      await()
          .atMost(SOON)
          .untilAsserted(
              () ->
                  assertThat(eventsAbout(admin, "shop"))
                      .singleElement()
                      .satisfies(
                          e -> {
                            assertThat(e.getReason()).isEqualTo("BreakGlass");
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getReportingComponent()).isEqualTo("seb.dev/webhook");
                            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Namespace");
                            assertThat(e.getMessage())
                                .contains("oncall")
                                .contains("UPDATE configmaps settings in shop")
                                .contains(uid);
                          }));
    }

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains(
            "seb_webhook_admissions_total{endpoint=\"protected\",layer=\"webhook\","
                + "reason=\"break-glass\",verdict=\"warn\"} 2.0")
        .contains(
            "seb_webhook_admissions_total{endpoint=\"protected\",layer=\"webhook\","
                + "reason=\"denied\",verdict=\"deny\"} 1.0")
        .contains("seb_webhook_admission_duration_seconds_bucket{endpoint=\"protected\"")
        .contains(
            "seb_webhook_admission_duration_seconds_count{endpoint=\"protected\",verdict=\"warn\"} 2");

    // one server span per review
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                assertThat(
                        spans.getFinishedSpanItems().stream()
                            .filter(s -> s.getName().equals("POST /validate/protected"))
                            .count())
                    .as(InMemorySpans.tree(spans.getFinishedSpanItems()))
                    .isEqualTo(3));
  }
}
