package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.testing.tracing.InMemorySpans;
import dev.seb.testing.tracing.TracingProfile;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * What people and tools see of one execution: one trace whose id is the proposal's uid, with the
 * pipeline's stages as spans and the API calls under them; Kubernetes Events on the proposal; and
 * the Decided and Executed conditions.
 */
@QuarkusTest
@TestProfile(TracingProfile.class)
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class TracesAndEventsIT {

  private static final Duration SOON = Duration.ofSeconds(30);

  @Inject KubernetesClient client;
  @Inject InMemorySpanExporter spans;

  @Test
  void oneExecution_isOneTrace_itsStagesAndApiCallsAsSpans_withEventsAndConditions()
      throws Exception {
    Shop shop = Shop.open(client, "exec-traced");
    spans.reset();
    MutationProposalStatus status = shop.propose("traced", 3);
    assertThat(status.getExecuted()).as(String.valueOf(status.getReasons())).isTrue();
    String uid = shop.proposal("traced").getMetadata().getUid();
    String traceId = uid.replace("-", "");

    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                assertThat(names(ofTrace(traceId)))
                    .contains("reconcile MutationProposal", "status"));
    List<SpanData> trace = ofTrace(traceId);
    String tree = InMemorySpans.tree(trace);
    // the pipeline, in order, under the reconcile span
    assertThat(tree)
        .as(tree)
        .containsSubsequence(
            "reconcile MutationProposal\n",
            "  claim\n",
            "    PUT mutationproposals/status\n",
            "  decide\n",
            "  record\n",
            "    POST executionrecords\n",
            "  mint\n",
            "    POST serviceaccounts\n",
            "  execute\n",
            "    PATCH deployments/scale\n",
            "  revoke\n",
            "  outcome\n",
            "    POST executionrecords\n",
            "  status\n");
    // the inputs are read while claiming: gather runs beside claim, its reads under it
    assertThat(tree).contains("  gather\n").contains("    GET mandates\n");
    assertThat(trace).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));

    // Events on the proposal, typed reasons, reported by the broker
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                assertThat(events(shop, uid))
                    .extracting(e -> e.getType() + " " + e.getReason())
                    .contains(
                        "Normal ProposalAdmitted",
                        "Normal IdentityMinted",
                        "Normal IdentityRevoked",
                        "Normal ProposalExecuted"));
    assertThat(events(shop, uid))
        .allSatisfy(e -> assertThat(e.getReportingComponent()).isEqualTo("seb.dev/broker"));

    // the conditions kubectl wait and describe read
    assertThat(Conditions.find(status.getConditions(), "Decided"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("ADMIT");
            });
    assertThat(Conditions.find(status.getConditions(), "Executed"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
  }

  @Test
  void aDenial_isAWarningEvent_withItsReasonCode_andDecidedCarriesTheCode() throws Exception {
    Shop shop = Shop.open(client, "exec-traced-denied");
    MutationProposalStatus status = shop.propose("too-many", 9); // the mandate allows up to 5
    String uid = shop.proposal("too-many").getMetadata().getUid();
    assertThat(Conditions.find(status.getConditions(), "Decided"))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("SCOPE_VIOLATION"));
    assertThat(Conditions.find(status.getConditions(), "Executed"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("SCOPE_VIOLATION");
            });
    await()
        .atMost(SOON)
        .untilAsserted(
            () ->
                assertThat(events(shop, uid))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("ProposalDenied");
                          assertThat(e.getMessage()).startsWith("SCOPE_VIOLATION: ");
                        }));
  }

  private List<Event> events(Shop shop, String uid) {
    return client
        .v1()
        .events()
        .inNamespace(shop.ns)
        .withField("involvedObject.uid", uid)
        .list()
        .getItems();
  }

  private List<SpanData> ofTrace(String traceId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(traceId))
        .toList();
  }

  private static List<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).toList();
  }
}
