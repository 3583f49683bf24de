package dev.seb.runtime.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.event.Reporter;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The recorder without an API server: what it writes, and that it never fails or blocks. */
class EventRecorderTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456Z"), ZoneOffset.UTC);

  private static KubernetesClient clientAt(String url) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder()
                .withMasterUrl(url)
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(60_000)
                .withRequestTimeout(60_000)
                .build())
        .build();
  }

  @Test
  void anEventNamesItsReasonTypeActionAndReporter() {
    try (KubernetesClient client = clientAt("https://127.0.0.1:1")) {
      EventRecorder recorder =
          EventRecorder.on(Runnable::run, client, CLOCK, Reporter.OPERATOR, "seb-operator-0");
      Event e =
          recorder.build(
              new ObjectReferenceBuilder()
                  .withKind("Mandate")
                  .withName("m1")
                  .withNamespace("team-a")
                  .withUid("u-1")
                  .build(),
              EventReason.MANDATE_REVOKED,
              "revoked by alice",
              CLOCK.instant());
      assertThat(e.getMetadata().getNamespace()).isEqualTo("team-a");
      assertThat(e.getMetadata().getName()).startsWith("m1.");
      assertThat(e.getReason()).isEqualTo("MandateRevoked");
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getAction()).isEqualTo("Evaluate");
      assertThat(e.getReportingComponent()).isEqualTo("seb.dev/operator");
      assertThat(e.getReportingInstance()).isEqualTo("seb-operator-0");
      assertThat(e.getSource().getComponent()).isEqualTo("seb.dev/operator");
      assertThat(e.getEventTime().getTime()).isEqualTo("2026-01-02T03:04:05.123456Z");
      assertThat(e.getInvolvedObject().getUid()).isEqualTo("u-1");
      assertThat(e.getMessage()).isEqualTo("revoked by alice");
    }
  }

  @Test
  void aClusterScopedObjectsEventGoesToDefault() {
    try (KubernetesClient client = clientAt("https://127.0.0.1:1")) {
      Event e =
          EventRecorder.on(Runnable::run, client, CLOCK, Reporter.WEBHOOK, "w")
              .build(
                  new ObjectReferenceBuilder().withKind("Namespace").withName("team-a").build(),
                  EventReason.UNPROTECTED,
                  "n",
                  CLOCK.instant());
      assertThat(e.getMetadata().getNamespace()).isEqualTo("default");
    }
  }

  @Test
  void aLongNoteIsCutToTheApiServersLimit() {
    String note = "é".repeat(2000);
    String cut = EventRecorder.note(note);
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(EventRecorder.NOTE_LIMIT);
    assertThat(cut).endsWith("...");
    assertThat(EventRecorder.note(null)).isEmpty();
    assertThat(EventRecorder.note("short")).isEqualTo("short");
  }

  @Test
  void anUnreachableApiServerOrAnUnreadableObjectNeverReachesTheCaller() {
    try (KubernetesClient client = clientAt("https://127.0.0.1:1")) {
      EventRecorder recorder = EventRecorder.on(Runnable::run, client, CLOCK, Reporter.BROKER, "b");
      assertThatCode(
              () ->
                  recorder.record(
                      new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build(),
                      EventReason.PROPOSAL_DENIED,
                      "denied"))
          .doesNotThrowAnyException();
      assertThatCode(
              () ->
                  recorder.record(
                      new ConfigMapBuilder().build(), EventReason.PROPOSAL_DENIED, "no metadata"))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void aStuckApiServerNeitherBlocksTheCallerNorGrowsTheQueue() throws Exception {
    // a server that accepts connections and never answers: every write hangs
    try (ServerSocket stuck = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        KubernetesClient client = clientAt("http://127.0.0.1:" + stuck.getLocalPort())) {
      EventRecorder recorder = new EventRecorder(client, CLOCK, Reporter.WEBHOOK, "w");
      long start = System.nanoTime();
      int sent = EventRecorder.QUEUE_CAPACITY + 100;
      for (int i = 0; i < sent; i++) {
        recorder.record(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cm" + i)
                .withNamespace("ns")
                .endMetadata()
                .build(),
            EventReason.BREAK_GLASS,
            "break-glass " + i);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).as("recording never waits for the API server").isLessThan(3_000);
      // one write in flight, QUEUE_CAPACITY waiting, the rest dropped
      assertThat(recorder.dropped()).isBetween(99L, 100L);
    }
  }
}
