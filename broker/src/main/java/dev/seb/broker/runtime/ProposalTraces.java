package dev.seb.broker.runtime;

import dev.seb.contracts.v1alpha1.MutationProposal;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One trace per proposal: every reconcile of a proposal, by any broker replica, is a span of the
 * trace whose id is the proposal's uid (a uid is 128 bits, as a trace id). What one proposal went
 * through (a claim, a stalled broker, its recovery by another) reads as one trace.
 */
@ApplicationScoped
public class ProposalTraces {

  private final Tracer tracer;

  public ProposalTraces(Tracer tracer) {
    this.tracer = tracer;
  }

  /** A span current on this thread until closed; closing throws nothing. */
  public interface Current extends AutoCloseable {
    @Override
    void close();
  }

  /** The reconcile span of a proposal, current on this thread until closed. */
  public Current reconcile(MutationProposal proposal) {
    String uid = String.valueOf(proposal.getMetadata().getUid());
    Context parent = Context.root();
    String traceId = uid.replace("-", "");
    if (traceId.matches("[0-9a-f]{32}")) {
      parent =
          parent.with(
              Span.wrap(
                  SpanContext.createFromRemoteParent(
                      traceId,
                      traceId.substring(0, 16),
                      TraceFlags.getSampled(),
                      TraceState.getDefault())));
    }
    Span span =
        tracer
            .spanBuilder("reconcile MutationProposal")
            .setParent(parent)
            .setAttribute(
                "seb.proposal",
                proposal.getMetadata().getNamespace() + "/" + proposal.getMetadata().getName())
            .setAttribute("seb.proposal.uid", uid)
            .startSpan();
    Scope scope = span.makeCurrent();
    return () -> {
      scope.close();
      span.end();
    };
  }
}
