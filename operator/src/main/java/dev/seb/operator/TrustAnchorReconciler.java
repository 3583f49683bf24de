package dev.seb.operator;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.epoch.EpochStatementVerifier;
import dev.seb.contracts.epoch.HighWaterMark;
import dev.seb.contracts.epoch.VerifiedEpochStatement;
import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.status.SebConditions;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorStatus;
import dev.seb.operator.observe.OperatorMetrics;
import dev.seb.runtime.event.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Keeps a TrustAnchor's status truthful: the epochs of its latest verified statement, never going
 * backwards, and {@code Ready} only while that statement is fresh. Requeues at the statement's
 * expiry so staleness shows within seconds, not at the next resync. An error that escapes a
 * reconcile sets {@code Ready=False ReconcileError} (see {@link TrustAnchorStatus}).
 */
@ControllerConfiguration(name = "trustanchor")
public class TrustAnchorReconciler implements Reconciler<TrustAnchor> {

  /** The condition type. */
  public static final String READY = SebConditions.READY;

  private final Clock clock;
  private final EventRecorder events;
  private final OperatorMetrics metrics;

  TrustAnchorReconciler(Clock clock, EventRecorder events, OperatorMetrics metrics) {
    this.clock = clock;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public UpdateControl<TrustAnchor> reconcile(TrustAnchor anchor, Context<TrustAnchor> context) {
    return metrics.reconcile(anchor, () -> evaluate(anchor));
  }

  private UpdateControl<TrustAnchor> evaluate(TrustAnchor anchor) {
    TrustAnchorStatus previous =
        anchor.getStatus() == null ? new TrustAnchorStatus() : anchor.getStatus();
    TrustAnchorStatus next = copy(previous);
    Long generation = anchor.getMetadata().getGeneration();
    next.setObservedGeneration(generation);
    Duration requeue = null;
    try {
      VerifiedEpochStatement statement =
          EpochStatementVerifier.forAnchor(anchor.getSpec())
              .verify(anchor.getSpec().epochStatement(), clock);
      HighWaterMark.fromStatus(previous).advance(statement);
      statement.writeTo(next);
      next.setConditions(
          Conditions.set(
              next.getConditions(),
              READY,
              true,
              "Verified",
              "epoch statement verified: policy epoch "
                  + statement.minPolicyEpoch()
                  + ", revocation epoch "
                  + statement.revocationEpoch(),
              generation,
              clock));
      requeue = Duration.between(clock.instant(), statement.expiresAt()).plusMillis(100);
    } catch (VerificationException e) {
      // a refused statement never changes the verified epochs: the status keeps the old values
      String reason = e.reason() == ReasonCode.EPOCH_ROLLBACK ? "EpochRollback" : e.reason().name();
      next.setConditions(
          Conditions.set(
              next.getConditions(), READY, false, reason, e.getMessage(), generation, clock));
    }
    boolean flipped =
        Conditions.isTrue(previous.getConditions(), READY)
                != Conditions.isTrue(next.getConditions(), READY)
            || !Objects.equals(reasonOf(previous), reasonOf(next));
    if (flipped) {
      boolean ready = Conditions.isTrue(next.getConditions(), READY);
      String message = Conditions.find(next.getConditions(), READY).orElseThrow().getMessage();
      if (ready) {
        events.record(anchor, EventReason.EPOCH_STATEMENT_VERIFIED, message);
      } else if ("EpochRollback".equals(reasonOf(next))) {
        events.record(anchor, EventReason.EPOCH_ROLLBACK_REFUSED, message);
      } else {
        events.record(anchor, EventReason.EPOCH_STATEMENT_REFUSED, reasonOf(next) + ": " + message);
      }
    }
    UpdateControl<TrustAnchor> control;
    if (sameStatus(previous, next)) {
      control = UpdateControl.noUpdate();
    } else {
      anchor.setStatus(next);
      control = UpdateControl.patchStatus(anchor);
    }
    return requeue != null && !requeue.isNegative() ? control.rescheduleAfter(requeue) : control;
  }

  /** An error that escaped {@link #reconcile}: Ready=False, reason ReconcileError. */
  @Override
  public ErrorStatusUpdateControl<TrustAnchor> updateErrorStatus(
      TrustAnchor resource, Context<TrustAnchor> context, Exception error) {
    return ReconcileErrorStatus.report(resource, context, TrustAnchorStatus::new, error, clock);
  }

  private static String reasonOf(TrustAnchorStatus status) {
    return Conditions.find(status.getConditions(), READY).map(c -> c.getReason()).orElse(null);
  }

  static TrustAnchorStatus copy(TrustAnchorStatus s) {
    TrustAnchorStatus c = new TrustAnchorStatus();
    c.setObservedGeneration(s.getObservedGeneration());
    c.setConditions(new java.util.ArrayList<>(s.getConditions()));
    c.setPolicyEpoch(s.getPolicyEpoch());
    c.setRevocationEpoch(s.getRevocationEpoch());
    c.setRevokedSerials(new java.util.ArrayList<>(s.getRevokedSerials()));
    c.setStatementIssuedAt(s.getStatementIssuedAt());
    c.setStatementExpiresAt(s.getStatementExpiresAt());
    return c;
  }

  private static boolean sameStatus(TrustAnchorStatus a, TrustAnchorStatus b) {
    var mapper = dev.seb.contracts.canonical.CanonicalJson.mapper();
    return mapper.valueToTree(a).equals(mapper.valueToTree(b));
  }
}
