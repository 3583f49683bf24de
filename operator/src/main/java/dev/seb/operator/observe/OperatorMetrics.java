package dev.seb.operator.observe;

import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.jboss.logging.MDC;

/**
 * The operator's own metrics, every tag from a closed set:
 *
 * <ul>
 *   <li>{@code seb.operator.reconciles{kind,result}}: reconciles per kind, {@code result} {@code
 *       ok} or {@code error} (an exception escaped; the framework retries it);
 *   <li>{@code seb.operator.mandate.transitions{phase}}: mandates entering each phase;
 *   <li>{@code seb.operator.certifications{result,reason}}: each evaluation of a contract, {@code
 *       result} {@code certified} or {@code refused}, {@code reason} the condition's reason code.
 * </ul>
 *
 * <p>While a reconcile runs, its log lines carry {@code kind}, {@code object} ({@code
 * namespace/name}) and {@code objectUid} (MDC; fields of the JSON log in production), and it is one
 * span {@code reconcile <Kind>} with the attributes {@code seb.kind}, {@code seb.object}, {@code
 * seb.uid} (traces are off unless configured; then the span is a no-op).
 */
@ApplicationScoped
public class OperatorMetrics {

  private final MeterRegistry registry;
  private final Tracer tracer;

  OperatorMetrics(MeterRegistry registry, Tracer tracer) {
    this.registry = registry;
    this.tracer = tracer;
  }

  /** Runs one reconcile of the resource, counting its result and tagging its log lines. */
  public <T> T reconcile(HasMetadata resource, Supplier<T> body) {
    String kind = resource.getKind();
    String object =
        resource.getMetadata().getNamespace() == null
            ? resource.getMetadata().getName()
            : resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    String uid = String.valueOf(resource.getMetadata().getUid());
    MDC.put("kind", kind);
    MDC.put("object", object);
    MDC.put("objectUid", uid);
    Span span =
        tracer
            .spanBuilder("reconcile " + kind)
            .setAttribute("seb.kind", kind)
            .setAttribute("seb.object", object)
            .setAttribute("seb.uid", uid)
            .startSpan();
    String result = "error";
    try (Scope ignored = span.makeCurrent()) {
      T value = body.get();
      result = "ok";
      return value;
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
      Counter.builder("seb.operator.reconciles")
          .description("Reconciles by kind and result")
          .tag("kind", kind)
          .tag("result", result)
          .register(registry)
          .increment();
      MDC.remove("kind");
      MDC.remove("object");
      MDC.remove("objectUid");
    }
  }

  /** A mandate entered a phase. */
  public void mandateEntered(Phase phase) {
    Counter.builder("seb.operator.mandate.transitions")
        .description("Mandates entering each phase")
        .tag("phase", phase.name())
        .register(registry)
        .increment();
  }

  /** A contract was evaluated: certified or refused with the reason code. */
  public void certification(boolean certified, String reason) {
    Counter.builder("seb.operator.certifications")
        .description("ExecutionContract evaluations by result and reason code")
        .tag("result", certified ? "certified" : "refused")
        .tag("reason", reason == null ? "none" : reason)
        .register(registry)
        .increment();
  }
}
