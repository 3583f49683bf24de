package dev.seb.operator;

import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.mandate.MandateLifecycle;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.status.SebConditions;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MandateStatus.Phase;
import dev.seb.contracts.v1alpha1.MandateStatus.RevocationRecord;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.operator.observe.OperatorMetrics;
import dev.seb.runtime.event.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The authoritative state of mandates: Active until revoked, expired or ended with their parent;
 * delegated children validated against their parent and Rejected when invalid. A parent's change
 * re-evaluates its children at once, so a cascade runs through the whole tree within a reconcile
 * per level. Open proposals under an ended mandate are listed as halted; the broker denies them
 * (MANDATE_INACTIVE) because it re-checks the phase for every proposal it decides. Conditions
 * {@code Ready} and {@code Active} follow the phase; an error that escapes a reconcile sets {@code
 * Ready=False ReconcileError} and nothing else (see {@link MandateStatus}).
 */
// annotations (terminal events) change no generation, so every change is looked at
@ControllerConfiguration(name = "mandate", generationAwareEventProcessing = false)
public class MandateReconciler implements Reconciler<Mandate> {

  /** The condition type that mirrors the phase. */
  public static final String ACTIVE = SebConditions.ACTIVE;

  private final KubernetesClient client;
  private final Clock clock;
  private final EventRecorder events;
  private final OperatorMetrics metrics;

  MandateReconciler(
      KubernetesClient client, Clock clock, EventRecorder events, OperatorMetrics metrics) {
    this.client = client;
    this.clock = clock;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, Mandate>> prepareEventSources(EventSourceContext<Mandate> context) {
    // a mandate's change concerns its children
    InformerEventSourceConfiguration<Mandate> parents =
        InformerEventSourceConfiguration.from(Mandate.class, Mandate.class)
            .withName("parents")
            .withSecondaryToPrimaryMapper(
                parent ->
                    context
                        .getPrimaryCache()
                        .list(parent.getMetadata().getNamespace())
                        .filter(
                            child ->
                                child.getSpec() != null
                                    && Objects.equals(
                                        parent.getMetadata().getName(),
                                        child.getSpec().parentRef()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    return List.of(new InformerEventSource<>(parents, context));
  }

  @Override
  public UpdateControl<Mandate> reconcile(Mandate mandate, Context<Mandate> context) {
    return metrics.reconcile(mandate, () -> evaluate(mandate));
  }

  private UpdateControl<Mandate> evaluate(Mandate mandate) {
    String namespace = mandate.getMetadata().getNamespace();
    MandateStatus previous =
        mandate.getStatus() == null ? new MandateStatus() : mandate.getStatus();
    Mandate parent =
        mandate.getSpec().parentRef() == null
            ? null
            : client
                .resources(Mandate.class)
                .inNamespace(namespace)
                .withName(mandate.getSpec().parentRef())
                .get();
    List<String> parentChain =
        parent == null || parent.getStatus() == null
            ? List.of()
            : parent.getStatus().getDelegationChain();
    MandateLifecycle.Evaluation evaluation =
        MandateLifecycle.evaluate(mandate, previous.getPhase(), parent, parentChain, clock);
    if (evaluation.phase() == Phase.Rejected
        && previous.getPhase() == Phase.Rejected
        && previous.getMessage() != null) {
      // a rejection is final; keep the reason it was first given
      evaluation =
          new MandateLifecycle.Evaluation(
              Phase.Rejected,
              "InvalidDelegation",
              previous.getMessage(),
              null,
              evaluation.delegationChain(),
              evaluation.wakeUpAt());
    }

    MandateStatus next = new MandateStatus();
    Long generation = mandate.getMetadata().getGeneration();
    next.setObservedGeneration(generation);
    next.setPhase(evaluation.phase());
    next.setMessage(evaluation.message());
    next.setDelegationChain(evaluation.delegationChain());
    // Ready and Active say the same after an evaluation; only a reconcile error sets Ready alone
    List<Condition> conditions = previous.getConditions();
    for (String type : List.of(SebConditions.READY, ACTIVE)) {
      conditions =
          Conditions.set(
              conditions,
              type,
              evaluation.phase() == Phase.Active,
              evaluation.reason(),
              evaluation.message(),
              generation,
              clock);
    }
    next.setConditions(conditions);
    boolean authorityChanged =
        previous.getPhase() != evaluation.phase()
            || !Objects.equals(previous.getObservedGeneration(), generation);
    long version = previous.getVersion() == null ? 0 : previous.getVersion();
    next.setVersion(authorityChanged ? version + 1 : version);
    next.setRevocation(previous.getRevocation());
    if ((evaluation.phase() == Phase.Revoked) && previous.getRevocation() == null) {
      next.setRevocation(revocationRecord(mandate, evaluation));
    }

    if (previous.getPhase() != evaluation.phase()) {
      metrics.mandateEntered(evaluation.phase());
      events.record(mandate, EventReason.forMandatePhase(evaluation.phase()), evaluation.message());
    }
    var mapper = CanonicalJson.mapper();
    UpdateControl<Mandate> control;
    if (mapper.valueToTree(previous).equals(mapper.valueToTree(next))) {
      control = UpdateControl.noUpdate();
    } else {
      mandate.setStatus(next);
      control = UpdateControl.patchStatus(mandate);
    }
    return evaluation
        .wakeUpAt()
        .map(at -> control.rescheduleAfter(Duration.between(clock.instant(), at).plusMillis(50)))
        .orElse(control);
  }

  /** An error that escaped {@link #reconcile}: Ready=False, reason ReconcileError. */
  @Override
  public ErrorStatusUpdateControl<Mandate> updateErrorStatus(
      Mandate resource, Context<Mandate> context, Exception error) {
    return ReconcileErrorStatus.report(resource, context, MandateStatus::new, error, clock);
  }

  private RevocationRecord revocationRecord(
      Mandate mandate, MandateLifecycle.Evaluation evaluation) {
    String namespace = mandate.getMetadata().getNamespace();
    String name = mandate.getMetadata().getName();
    List<String> children =
        client.resources(Mandate.class).inNamespace(namespace).list().getItems().stream()
            .filter(m -> m.getSpec() != null && name.equals(m.getSpec().parentRef()))
            .map(m -> m.getMetadata().getName())
            .sorted()
            .toList();
    List<String> halted = new ArrayList<>();
    for (MutationProposal proposal :
        client.resources(MutationProposal.class).inNamespace(namespace).list().getItems()) {
      boolean undecided =
          proposal.getStatus() == null || proposal.getStatus().getDecision() == null;
      if (undecided && proposal.getSpec() != null && name.equals(proposal.getSpec().mandateRef())) {
        halted.add(proposal.getMetadata().getName());
      }
    }
    var revocation = mandate.getSpec().revocation();
    return new RevocationRecord(
        revocation != null ? revocation.requestedBy() : "seb-operator",
        revocation != null ? revocation.reason() : evaluation.message(),
        DateTimeFormatter.ISO_INSTANT.format(clock.instant()),
        evaluation.cascadedFrom(),
        children,
        Set.copyOf(halted).stream().sorted().toList());
  }
}
