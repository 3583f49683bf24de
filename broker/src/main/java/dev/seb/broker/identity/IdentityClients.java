package dev.seb.broker.identity;

import dev.seb.broker.runtime.ApiCallSpans;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.impl.KubernetesClientImpl;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;

/**
 * Clients that act as one minted execution identity. They share one pool of connections to the API
 * server that carries no credentials of its own: no client certificate, no token, no basic auth.
 * Each request carries only the identity's bearer token, and the API server authenticates bearer
 * tokens per request, so a shared connection never lends one identity's rights to another. (A
 * client certificate authenticates the connection itself; that is why the broker's own client,
 * which may use one, is never shared.) Reusing connections saves a TLS handshake per execution.
 */
@ApplicationScoped
public class IdentityClients {

  /** The name fabric8 registers its credential interceptor under; replaced, never kept. */
  static final String CREDENTIALS = "TOKEN";

  private final Config config;
  private final KubernetesClient pool;

  private final ApiCallSpans spans;

  public IdentityClients(KubernetesClient broker, Vertx vertx, ApiCallSpans spans) {
    this.spans = spans;
    this.config = withoutCredentials(broker.getConfiguration());
    // the application's Vert.x, not one started per client
    this.pool =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new VertxHttpClientFactory(vertx))
            .build();
  }

  /** A client whose every request is authenticated by {@code token} and nothing else. */
  public KubernetesClient as(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("an execution identity needs a token");
    }
    HttpClient http =
        pool.getHttpClient()
            .newBuilder()
            .addOrReplaceInterceptor(CREDENTIALS, new Bearer(token))
            .addOrReplaceInterceptor(ApiCallSpans.NAME, spans)
            .build();
    // the pool's serialization too: a fresh one per client would rebuild Jackson's serializers
    // for every execution (it did: a tenth of the broker's CPU)
    return new KubernetesClientImpl(
        new Unshared(http), config, () -> Runnable::run, pool.getKubernetesSerialization());
  }

  void close(@Observes ShutdownEvent event) {
    pool.close();
  }

  /** The API server address and trust of {@code broker}, with every credential removed. */
  static Config withoutCredentials(Config broker) {
    Config config =
        new ConfigBuilder(broker)
            .withClientCertFile(null)
            .withClientCertData(null)
            .withClientKeyFile(null)
            .withClientKeyData(null)
            .withUsername(null)
            .withPassword(null)
            .withOauthToken(null)
            .withOauthTokenProvider(null)
            .withAuthProvider(null)
            .withImpersonateUsername(null)
            .withImpersonateGroups((String[]) null)
            .withImpersonateExtras(null)
            .withCustomHeaders(null)
            // a write is sent once: a retried write that had landed would read as drift
            .withRequestRetryBackoffLimit(0)
            .build();
    config.setAutoOAuthToken(null);
    return config;
  }

  /** Sets the identity's token on every request, and never refreshes it from anywhere else. */
  private record Bearer(String token) implements Interceptor {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      builder.setHeader("Authorization", "Bearer " + token);
    }

    @Override
    public CompletableFuture<Boolean> afterFailure(
        BasicBuilder builder,
        io.fabric8.kubernetes.client.http.HttpResponse<?> response,
        RequestTags tags) {
      return CompletableFuture.completedFuture(false);
    }

    @Override
    public String toString() {
      return "Bearer[redacted]";
    }
  }

  /** One identity's view of the shared pool: closing it leaves the pool open for the next. */
  private record Unshared(HttpClient delegate) implements HttpClient {
    @Override
    public void close() {}

    @Override
    public DerivedClientBuilder newBuilder() {
      return delegate.newBuilder();
    }

    @Override
    public <T> CompletableFuture<io.fabric8.kubernetes.client.http.HttpResponse<T>> sendAsync(
        HttpRequest request, Class<T> type) {
      return delegate.sendAsync(request, type);
    }

    @Override
    public CompletableFuture<
            io.fabric8.kubernetes.client.http.HttpResponse<
                io.fabric8.kubernetes.client.http.AsyncBody>>
        consumeBytes(
            HttpRequest request,
            io.fabric8.kubernetes.client.http.AsyncBody.Consumer<
                    java.util.List<java.nio.ByteBuffer>>
                consumer) {
      return delegate.consumeBytes(request, consumer);
    }

    @Override
    public io.fabric8.kubernetes.client.http.WebSocket.Builder newWebSocketBuilder() {
      return delegate.newWebSocketBuilder();
    }

    @Override
    public HttpRequest.Builder newHttpRequestBuilder() {
      return delegate.newHttpRequestBuilder();
    }

    @Override
    public boolean isClosed() {
      return delegate.isClosed();
    }
  }
}
