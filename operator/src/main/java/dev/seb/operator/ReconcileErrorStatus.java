package dev.seb.operator;

import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.SebStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Puts an error that escaped a reconcile on the object's status, where {@code kubectl describe} and
 * {@code kubectl wait --for=condition=Ready} see it: {@code Ready=False}, reason {@code
 * ReconcileError}, the error as message. Nothing else on the status changes, so {@code
 * status.observedGeneration} keeps naming the generation last evaluated. The Operator SDK retries
 * as usual, and once its retries are used up the reconcile is tried again after {@link
 * #AFTER_RETRIES}; the next successful reconcile sets {@code Ready} again.
 */
final class ReconcileErrorStatus {

  /**
   * When a reconcile whose retries are used up is tried again (with a new round of retries): the
   * status keeps saying the operator retries, and it does.
   */
  static final Duration AFTER_RETRIES = Duration.ofMinutes(1);

  private ReconcileErrorStatus() {}

  /**
   * The status patch for a resource whose reconcile failed with {@code error}, built on the status
   * as stored (the Operator SDK's cache of the primary resource), not on {@code resource}: a
   * reconcile puts its new evaluation on the resource it was given before the write that may fail,
   * and that evaluation was never stored.
   */
  static <S extends SebStatus, P extends CustomResource<?, S>> ErrorStatusUpdateControl<P> report(
      P resource, Context<P> context, Supplier<S> emptyStatus, Exception error, Clock clock) {
    S stored =
        context
            .getPrimaryCache()
            .get(ResourceID.fromResource(resource))
            .map(CustomResource::getStatus)
            .orElse(null);
    ErrorStatusUpdateControl<P> control = reportFrom(resource, stored, emptyStatus, error, clock);
    boolean lastAttempt = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(true);
    // a controller that looks only at new generations would otherwise not look again for hours
    return lastAttempt ? control.withNoRetry().rescheduleAfter(AFTER_RETRIES) : control;
  }

  /**
   * The status patch for a resource whose reconcile failed with {@code error}: {@code stored} (the
   * status of the last evaluation, or none) with {@code Ready=False ReconcileError}. {@code stored}
   * itself is not changed.
   */
  static <S extends SebStatus, P extends CustomResource<?, S>>
      ErrorStatusUpdateControl<P> reportFrom(
          P resource, S stored, Supplier<S> emptyStatus, Exception error, Clock clock) {
    S status = emptyStatus.get();
    if (stored != null) {
      // a copy: the stored status may be the Operator SDK's cached object
      @SuppressWarnings("unchecked")
      Class<S> type = (Class<S>) status.getClass();
      status = CanonicalJson.mapper().convertValue(stored, type);
    }
    status.setConditions(
        Conditions.reconcileError(
            status.getConditions(), message(error), resource.getMetadata().getGeneration(), clock));
    resource.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(resource);
  }

  /**
   * What went wrong, the same on every attempt (a message that changed per attempt would change the
   * status each time, and every status change is an event that triggers the next reconcile).
   */
  static String message(Exception error) {
    Throwable cause = error;
    // the Operator SDK may wrap what the reconciler threw
    while (cause.getCause() != null
        && cause.getCause() != cause
        && !(cause instanceof KubernetesClientException)
        && cause.getClass().getName().startsWith("io.javaoperatorsdk.")) {
      cause = cause.getCause();
    }
    String what =
        cause instanceof KubernetesClientException k
            ? "the API server answered " + k.getCode() + ": " + k.getMessage()
            : cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    return "the seb operator could not evaluate this object (" + what + "); it retries";
  }
}
