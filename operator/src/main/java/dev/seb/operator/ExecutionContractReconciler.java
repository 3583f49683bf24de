package dev.seb.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.certificate.ContractCertificateVerifier;
import dev.seb.contracts.certificate.IssuerHint;
import dev.seb.contracts.certificate.VerifiedCertificate;
import dev.seb.contracts.epoch.EpochPolicy;
import dev.seb.contracts.epoch.EpochStatementVerifier;
import dev.seb.contracts.epoch.VerifiedEpochStatement;
import dev.seb.contracts.event.EventReason;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.status.SebConditions;
import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.ExecutionContractStatus;
import dev.seb.contracts.v1alpha1.TrustAnchor;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Sets an ExecutionContract's {@code Certified} condition with the exact reason code, its digest
 * and a certificate summary. Re-evaluates when any TrustAnchor changes (epoch bump, root rotation)
 * and exactly at the certificate's {@code notBefore}/{@code notAfter} and the statement's expiry.
 * {@code Ready} says what {@code Certified} says, except after an error that escaped a reconcile:
 * then {@code Ready=False ReconcileError} (see {@link ExecutionContractStatus}).
 */
@ControllerConfiguration(name = "executioncontract")
public class ExecutionContractReconciler implements Reconciler<ExecutionContract> {

  /** The condition type. */
  public static final String CERTIFIED = SebConditions.CERTIFIED;

  private final KubernetesClient client;
  private final Clock clock;
  private final EventRecorder events;
  private final OperatorMetrics metrics;

  ExecutionContractReconciler(
      KubernetesClient client, Clock clock, EventRecorder events, OperatorMetrics metrics) {
    this.client = client;
    this.clock = clock;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, ExecutionContract>> prepareEventSources(
      EventSourceContext<ExecutionContract> context) {
    // any TrustAnchor change may certify or decertify any contract
    InformerEventSourceConfiguration<TrustAnchor> anchors =
        InformerEventSourceConfiguration.from(TrustAnchor.class, ExecutionContract.class)
            .withSecondaryToPrimaryMapper(
                anchor ->
                    context
                        .getPrimaryCache()
                        .list()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    return List.of(new InformerEventSource<>(anchors, context));
  }

  @Override
  public UpdateControl<ExecutionContract> reconcile(
      ExecutionContract contract, Context<ExecutionContract> context) {
    return metrics.reconcile(contract, () -> evaluate(contract));
  }

  private UpdateControl<ExecutionContract> evaluate(ExecutionContract contract) {
    ExecutionContractStatus previous =
        contract.getStatus() == null ? new ExecutionContractStatus() : contract.getStatus();
    ExecutionContractStatus next = new ExecutionContractStatus();
    Long generation = contract.getMetadata().getGeneration();
    next.setObservedGeneration(generation);
    next.setConditions(new ArrayList<>(previous.getConditions()));
    List<Instant> wakeUps = new ArrayList<>();
    JsonNode spec = CanonicalJson.mapper().valueToTree(contract.getSpec());
    try {
      next.setDigest(Digests.contract(spec));
      TrustAnchor anchor = anchorFor(contract);
      VerifiedEpochStatement statement =
          EpochStatementVerifier.forAnchor(anchor.getSpec())
              .verify(anchor.getSpec().epochStatement(), clock);
      wakeUps.add(statement.expiresAt());
      VerifiedCertificate certificate;
      try {
        certificate =
            ContractCertificateVerifier.ignoringAudience(anchor.getSpec())
                .verify(
                    spec,
                    contract.getMetadata().getNamespace(),
                    contract.getMetadata().getName(),
                    clock);
      } catch (VerificationException e) {
        if (e.reason() == ReasonCode.CERTIFICATE_NOT_YET_VALID) {
          certificateNotBefore(contract).ifPresent(wakeUps::add);
        }
        throw e;
      }
      next.setCertificate(certificate.summary());
      wakeUps.add(certificate.notAfter());
      EpochPolicy.check(certificate, statement, clock);
      next.setConditions(
          Conditions.set(
              next.getConditions(),
              CERTIFIED,
              true,
              "Certified",
              "certificate "
                  + certificate.serial()
                  + " from "
                  + certificate.issuer()
                  + " valid until "
                  + certificate.notAfter(),
              generation,
              clock));
    } catch (VerificationException e) {
      next.setConditions(
          Conditions.set(
              next.getConditions(),
              CERTIFIED,
              false,
              e.reason().name(),
              e.getMessage(),
              generation,
              clock));
    } catch (RuntimeException e) {
      next.setConditions(
          Conditions.set(
              next.getConditions(),
              CERTIFIED,
              false,
              ReasonCode.INTERNAL_ERROR.name(),
              "cannot evaluate: " + e,
              generation,
              clock));
    }
    // Ready says what Certified says; only a reconcile error sets Ready alone
    Condition certified = Conditions.find(next.getConditions(), CERTIFIED).orElseThrow();
    next.setConditions(
        Conditions.set(
            next.getConditions(),
            SebConditions.READY,
            "True".equals(certified.getStatus()),
            certified.getReason(),
            certified.getMessage(),
            generation,
            clock));
    String before =
        Conditions.find(previous.getConditions(), CERTIFIED)
            .map(c -> c.getStatus() + "/" + c.getReason())
            .orElse(null);
    String after =
        Conditions.find(next.getConditions(), CERTIFIED)
            .map(c -> c.getStatus() + "/" + c.getReason())
            .orElseThrow();
    Condition condition = certified;
    boolean isCertified = "True".equals(condition.getStatus());
    metrics.certification(isCertified, condition.getReason());
    if (!Objects.equals(before, after)) {
      if (isCertified) {
        events.record(contract, EventReason.CONTRACT_CERTIFIED, condition.getMessage());
      } else {
        events.record(
            contract,
            EventReason.CERTIFICATION_FAILED,
            condition.getReason() + ": " + condition.getMessage());
      }
    }
    var mapper = CanonicalJson.mapper();
    UpdateControl<ExecutionContract> control;
    if (mapper.valueToTree(previous).equals(mapper.valueToTree(next))) {
      control = UpdateControl.noUpdate();
    } else {
      contract.setStatus(next);
      control = UpdateControl.patchStatus(contract);
    }
    Instant now = clock.instant();
    return wakeUps.stream()
        .filter(now::isBefore)
        .min(Instant::compareTo)
        .map(at -> control.rescheduleAfter(Duration.between(now, at).plusMillis(100)))
        .orElse(control);
  }

  /** An error that escaped {@link #reconcile}: Ready=False, reason ReconcileError. */
  @Override
  public ErrorStatusUpdateControl<ExecutionContract> updateErrorStatus(
      ExecutionContract resource, Context<ExecutionContract> context, Exception error) {
    return ReconcileErrorStatus.report(
        resource, context, ExecutionContractStatus::new, error, clock);
  }

  /** The TrustAnchor whose sabId is the certificate's (unverified) issuer; verification follows. */
  private TrustAnchor anchorFor(ExecutionContract contract) throws VerificationException {
    String certificate = contract.getSpec() == null ? null : contract.getSpec().certificate();
    String issuer =
        IssuerHint.unverifiedIssuer(certificate)
            .orElseThrow(
                () ->
                    new VerificationException(
                        ReasonCode.NO_CERTIFICATE, "spec.certificate is missing or unreadable"));
    return IssuerHint.anchorFor(certificate, client.resources(TrustAnchor.class).list().getItems())
        .orElseThrow(
            () ->
                new VerificationException(
                    ReasonCode.UNTRUSTED_ISSUER,
                    "spec.certificate is issued by '"
                        + issuer
                        + "', for which no TrustAnchor exists"));
  }

  private static Optional<Instant> certificateNotBefore(ExecutionContract contract) {
    String certificate = contract.getSpec() == null ? null : contract.getSpec().certificate();
    return IssuerHint.unverifiedClaim(certificate, "nbf")
        .flatMap(
            v -> {
              try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(v)));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }
}
