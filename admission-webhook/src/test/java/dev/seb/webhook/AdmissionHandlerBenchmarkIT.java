package dev.seb.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seb.ground.SelfSignedTls;
import dev.seb.testing.OpenLoop;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a check of speed: the webhook's own latency over HTTPS at a fixed, open-loop rate
 * (500 requests/s unless {@code -Dseb.bench.rate}), with AdmissionReview bodies captured from a
 * real kube-apiserver (the uid is made unique per request). Fails only when the rate is not reached
 * or an answer is wrong; latency is reported, never asserted.
 */
@QuarkusTest
@QuarkusTestResource(
    value = WebhookTlsResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = WebhookTlsResource.RELOAD_PERIOD, value = "30s"))
@Tag("benchmark")
class AdmissionHandlerBenchmarkIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  SelfSignedTls tls;

  @TestHTTPResource(value = "/", tls = true)
  URL base;

  /** One kind of request in the mix and the verdict it must get. */
  record Call(String label, String path, String template, String uid, boolean allowed) {

    static Call of(String label, String path, String fixture, boolean allowed) {
      try (InputStream in =
          Call.class.getResourceAsStream("/admission-reviews/" + fixture + ".json")) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        String uid = JSON.readTree(body).path("request").path("uid").asText();
        return new Call(label, path, body, uid, allowed);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String body(int i) {
      return template.replace(uid, uidOf(i));
    }

    static String uidOf(int i) {
      return "00000000-0000-4000-8000-" + String.format(Locale.ROOT, "%012d", i);
    }
  }

  private static final List<Call> MIX =
      List.of(
          Call.of(
              "agent denied", "validate/protected", "agent-patches-protected-deployment", false),
          Call.of(
              "seb-exec allowed",
              "validate/protected",
              "exec-identity-patches-protected-deployment",
              true),
          Call.of(
              "controller allowed",
              "validate/protected",
              "controller-updates-protected-deployment",
              true),
          Call.of(
              "unprotected ns, stamp denied",
              "validate/seb",
              "agent-changes-proposal-stamp-in-unprotected-namespace",
              false),
          Call.of("proposal stamped", "mutate/proposals", "agent-creates-proposal", true));

  @Test
  void benchmark_handlerLatencyAtAFixedRate() throws Exception {
    int rate = Integer.getInteger("seb.bench.rate", 500);
    int connections = Integer.getInteger("seb.bench.connections", 4);
    Duration warmUp = Duration.ofSeconds(Integer.getInteger("seb.bench.warmup-seconds", 15));
    Duration measured = Duration.ofSeconds(Integer.getInteger("seb.bench.seconds", 30));
    // HTTP/2, as the API server's webhook client speaks it over TLS; -Dseb.bench.http=1.1 compares
    HttpVersion version =
        "1.1".equals(System.getProperty("seb.bench.http"))
            ? HttpVersion.HTTP_1_1
            : HttpVersion.HTTP_2;
    // the client has its own event loop; the JDK HttpClient would start a thread per answer here
    // (CompletableFuture's default executor on fewer than 3 cores), measuring itself
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      Context loop = vertx.getOrCreateContext();
      List<HttpClient> clients = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        // one connection each
        clients.add(
            vertx.createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(version)
                    .setUseAlpn(true)
                    .setSsl(true)
                    .setTrustOptions(
                        new PemTrustOptions().addCertValue(Buffer.buffer(tls.certificatePem())))
                    .setDefaultHost("127.0.0.1")
                    .setDefaultPort(base.getPort())
                    .setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(1).setHttp2MaxSize(1)));
      }
      for (int c = 0; c < connections; c++) {
        // open each connection before the clock starts
        assertThat(send(loop, clients.subList(c, c + 1), c).get()).isNull();
      }
      OpenLoop.Result warm =
          OpenLoop.run(rate, warmUp, Duration.ofSeconds(30), i -> send(loop, clients, i));
      assertThat(warm.errors()).as("errors while warming up: %s", warm.errorSamples()).isZero();
      String loadBefore = loadAverage();
      OpenLoop.Result run =
          OpenLoop.run(rate, measured, Duration.ofSeconds(30), i -> send(loop, clients, i));
      String loadAfter = loadAverage();
      report(rate, connections, version, warmUp, measured, run, loadBefore, loadAfter);
      assertThat(run.errors()).as("wrong or missing answers: %s", run.errorSamples()).isZero();
      assertThat(run.achievedPerSecond())
          .as("achieved rate against the %d req/s asked for", rate)
          .isGreaterThanOrEqualTo(rate * 0.9);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static void report(
      int rate,
      int connections,
      HttpVersion version,
      Duration warmUp,
      Duration measured,
      OpenLoop.Result run,
      String loadBefore,
      String loadAfter) {
    System.out.printf(
        Locale.ROOT,
        "%n[seb benchmark] webhook handler over HTTPS, open loop at %d req/s, %d %s connections, %ds after %ds warm-up: p50 %.2f ms p90 %.2f ms p99 %.2f ms p99.9 %.2f ms max %.2f ms | achieved %.1f req/s, %d/%d answered, %d errors, sender lag max %.2f ms | load %s -> %s, %d cores%n",
        rate,
        connections,
        version == HttpVersion.HTTP_2 ? "HTTP/2" : "HTTP/1.1",
        measured.toSeconds(),
        warmUp.toSeconds(),
        run.millisAt(0.50),
        run.millisAt(0.90),
        run.millisAt(0.99),
        run.millisAt(0.999),
        run.millisAt(1.0),
        run.achievedPerSecond(),
        run.completed(),
        run.intended(),
        run.errors(),
        run.maxSendLagNanos() / 1e6,
        loadBefore,
        loadAfter,
        Runtime.getRuntime().availableProcessors());
    for (int k = 0; k < MIX.size(); k++) {
      int kind = k;
      System.out.printf(
          Locale.ROOT,
          "[seb benchmark]   %-28s %-20s p50 %.2f ms p99 %.2f ms%n",
          MIX.get(k).label(),
          "/" + MIX.get(k).path(),
          run.millisAt(0.50, i -> i % MIX.size() == kind),
          run.millisAt(0.99, i -> i % MIX.size() == kind));
    }
  }

  /**
   * Sends request {@code i} from the client's event loop: a Vert.x client driven from another
   * thread can see an answer before the handler waiting for it is set, and lose it.
   */
  private static CompletableFuture<String> send(Context loop, List<HttpClient> clients, int i) {
    Call call = MIX.get(i % MIX.size());
    HttpClient client = clients.get(i % clients.size());
    String body = call.body(i);
    CompletableFuture<String> answer = new CompletableFuture<>();
    loop.runOnContext(
        ignored ->
            client
                .request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setURI("/" + call.path())
                        .setTimeout(10_000)
                        .putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(body))
                .compose(
                    response ->
                        response
                            .body()
                            .map(bytes -> judge(call, i, response.statusCode(), bytes.toString())))
                .onComplete(
                    result -> {
                      if (result.succeeded()) {
                        answer.complete(result.result());
                      } else {
                        answer.completeExceptionally(result.cause());
                      }
                    }));
    return answer;
  }

  /** Null when the answer is the right verdict for the right request, else what was wrong. */
  private static String judge(Call call, int i, int status, String body) {
    if (status != 200) {
      return call.label() + ": HTTP " + status + " " + body;
    }
    try {
      JsonNode answer = JSON.readTree(body).path("response");
      if (!Call.uidOf(i).equals(answer.path("uid").asText())
          || answer.path("allowed").asBoolean() != call.allowed()) {
        return call.label() + ": unexpected answer " + answer;
      }
      return null;
    } catch (IOException e) {
      return call.label() + ": unreadable answer " + e.getMessage();
    }
  }

  private static String loadAverage() {
    try {
      return Arrays.stream(Files.readString(Path.of("/proc/loadavg")).split(" "))
          .limit(3)
          .collect(Collectors.joining(" "));
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
