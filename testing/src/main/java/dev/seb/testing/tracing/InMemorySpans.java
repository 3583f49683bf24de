package dev.seb.testing.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The application's spans, kept in memory for a {@code @QuarkusTest} that checks traces. Quarkus'
 * OpenTelemetry extension exports to every {@code SpanExporter} bean; this class produces one. It
 * is a bean only in applications built with {@link TracingProfile}, which indexes this module and
 * switches tracing on without any OTLP exporter. Inject the exporter into the test:
 *
 * <pre>{@code
 * @QuarkusTest
 * @TestProfile(TracingProfile.class)
 * class SomeTracingIT {
 *   @Inject InMemorySpanExporter spans;
 *   ...
 *   await().until(() -> InMemorySpans.tree(spans.getFinishedSpanItems()).contains("POST /x"));
 * }
 * }</pre>
 */
@ApplicationScoped
public class InMemorySpans {

  @Produces
  @Singleton
  InMemorySpanExporter exporter() {
    return InMemorySpanExporter.create();
  }

  /**
   * The spans as an indented tree, one line a span ({@code name}), children under their parent two
   * spaces deeper, siblings by start time; traces one after another. For assertions and failure
   * messages: {@code assertThat(tree(spans)).contains("claim\n gather\n")}.
   */
  public static String tree(List<SpanData> spans) {
    Map<String, List<SpanData>> children =
        spans.stream()
            .collect(
                Collectors.groupingBy(
                    s -> s.getParentSpanContext().isValid() ? s.getParentSpanId() : ""));
    StringBuilder out = new StringBuilder();
    java.util.Set<String> ids = spans.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
    List<SpanData> roots = new ArrayList<>();
    for (SpanData s : spans) {
      if (!s.getParentSpanContext().isValid() || !ids.contains(s.getParentSpanId())) {
        roots.add(s);
      }
    }
    roots.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    for (SpanData root : roots) {
      append(out, root, children, 0);
    }
    return out.toString();
  }

  private static void append(
      StringBuilder out, SpanData span, Map<String, List<SpanData>> children, int depth) {
    out.append("  ".repeat(depth)).append(span.getName()).append('\n');
    List<SpanData> kids = new ArrayList<>(children.getOrDefault(span.getSpanId(), List.of()));
    kids.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    for (SpanData kid : kids) {
      append(out, kid, children, depth + 1);
    }
  }
}
