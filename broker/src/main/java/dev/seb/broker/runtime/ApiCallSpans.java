package dev.seb.broker.runtime;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Every call to the API server made inside a proposal's trace becomes a client span named by method
 * and resource ({@code PATCH deployments/scale}), carrying the W3C {@code traceparent} header, so
 * an API server with tracing on continues the same trace. Calls outside a trace (informers, leases)
 * are left alone. Spans whose answer never comes are forgotten beyond {@value #OPEN} open at once.
 */
public final class ApiCallSpans implements Interceptor {

  /** The name the interceptor is registered under in fabric8's HTTP client. */
  public static final String NAME = "seb-api-call-spans";

  private static final String TRACEPARENT = "traceparent";
  private static final int OPEN = 1024;

  private final Tracer tracer;
  private final BoundedCache<String, Span> open = new BoundedCache<>(OPEN);

  public ApiCallSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!Span.current().getSpanContext().isValid()) {
      return;
    }
    Span span =
        tracer
            .spanBuilder(request.method() + " " + resource(request.uri()))
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("http.request.method", request.method())
            .setAttribute("url.path", request.uri().getPath())
            .startSpan();
    SpanContext context = span.getSpanContext();
    builder.setHeader(
        TRACEPARENT,
        "00-"
            + context.getTraceId()
            + "-"
            + context.getSpanId()
            + "-"
            + context.getTraceFlags().asHex());
    open.put(context.getSpanId(), span);
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    Span span = take(request);
    if (span != null) {
      span.setAttribute("http.response.status_code", response.code());
      if (response.code() >= 400) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    Span span = take(request);
    if (span != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR);
      span.end();
    }
  }

  private Span take(HttpRequest request) {
    String traceparent = request.header(TRACEPARENT);
    String[] parts = traceparent == null ? new String[0] : traceparent.split("-");
    return parts.length == 4 ? open.remove(parts[2]) : null;
  }

  /**
   * The resource a request is about, without names: {@code deployments/scale}, {@code
   * mutationproposals/status}, {@code executionrecords}; the path's last segment otherwise.
   */
  static String resource(URI uri) {
    String[] path = uri.getPath().split("/");
    // /api/v1/... or /apis/<group>/<version>/...; then [namespaces/<ns>/]<plural>[/<name>[/<sub>]]
    int i = path.length > 1 && "api".equals(path[1]) ? 3 : 4;
    if (path.length > i + 1 && "namespaces".equals(path[i]) && path.length > i + 2) {
      i += 2;
    }
    if (path.length <= i) {
      return path.length == 0 ? "/" : path[path.length - 1];
    }
    String plural = path[i];
    return path.length > i + 2 ? plural + "/" + path[i + 2] : plural;
  }
}
