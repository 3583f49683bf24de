package dev.seb.webhook;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the broker's notice endpoint where a test looks at admission verdicts only: it
 * answers every notice as stored and keeps its bodies. The broker's own endpoint (TokenReview,
 * signing, storing, idempotence) is tested against the real API server in the broker's tests; the
 * webhook's behaviour with the broker unreachable in {@code AdmissionWebhookIT}.
 */
public class NoticeSinkResource implements QuarkusTestResourceLifecycleManager {

  /** The notices received, in order. */
  static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/v1/notices",
          exchange -> {
            RECEIVED.add(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
          });
      server.start();
      Path token = Files.createTempFile("seb-notice-token", "");
      Files.writeString(token, "stand-in");
      return Map.of(
          "seb.notices.url",
          "http://127.0.0.1:" + server.getAddress().getPort(),
          "seb.notices.token-file",
          token.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
