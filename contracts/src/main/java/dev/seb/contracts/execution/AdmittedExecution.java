package dev.seb.contracts.execution;

import dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget;
import dev.seb.contracts.v1alpha1.MutationProposalSpec.Operation;
import java.time.Instant;
import java.util.Objects;

/**
 * The capability to execute exactly one admitted proposal. Only {@link DecisionPipeline} can create
 * one (the constructor is package-private and the class final; it is deliberately not a record,
 * whose constructor would have to be public), and only after every check of the pipeline passed, so
 * an {@link Executor} can never be reached from a denial or a hold.
 */
public final class AdmittedExecution {

  private final String proposalDigest;
  private final String proposalRef;
  private final String mandateRef;
  private final String certificateSerial;
  private final KubernetesTarget target;
  private final Operation operation;
  private final String resourceVersion;
  private final String preState;
  private final Instant admittedAt;

  AdmittedExecution(
      String proposalDigest,
      String proposalRef,
      String mandateRef,
      String certificateSerial,
      KubernetesTarget target,
      Operation operation,
      String resourceVersion,
      String preState,
      Instant admittedAt) {
    this.proposalDigest = Objects.requireNonNull(proposalDigest, "proposalDigest");
    this.proposalRef = Objects.requireNonNull(proposalRef, "proposalRef");
    this.mandateRef = Objects.requireNonNull(mandateRef, "mandateRef");
    this.certificateSerial = Objects.requireNonNull(certificateSerial, "certificateSerial");
    this.target = Objects.requireNonNull(target, "target");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.resourceVersion = Objects.requireNonNull(resourceVersion, "resourceVersion");
    this.preState = preState;
    this.admittedAt = Objects.requireNonNull(admittedAt, "admittedAt");
  }

  /** Digest of the admitted proposal. */
  public String proposalDigest() {
    return proposalDigest;
  }

  /** namespace/name of the proposal. */
  public String proposalRef() {
    return proposalRef;
  }

  /** namespace/name of the mandate it was admitted under. */
  public String mandateRef() {
    return mandateRef;
  }

  /** Serial of the contract certificate that authorised it. */
  public String certificateSerial() {
    return certificateSerial;
  }

  /** The one object it may mutate. */
  public KubernetesTarget target() {
    return target;
  }

  /** What to do to it. */
  public Operation operation() {
    return operation;
  }

  /**
   * For a create: the object to send, exactly as the scope check compared it with the certified
   * manifest (a fresh copy on every call); null for other operations.
   */
  public com.fasterxml.jackson.databind.JsonNode objectToCreate() {
    return operation.type() == dev.seb.contracts.v1alpha1.OperationType.CREATE
        ? dev.seb.contracts.scope.CreatedObject.of(operation.object(), target)
        : null;
  }

  /** The resourceVersion the live-state check read; the write must be conditioned on it. */
  public String resourceVersion() {
    return resourceVersion;
  }

  /**
   * Digest of the live object the checks were made against ({@link
   * dev.seb.contracts.canonical.Digests#state}); null for a create, whose object did not exist.
   */
  public String preState() {
    return preState;
  }

  /** When the pipeline admitted it. */
  public Instant admittedAt() {
    return admittedAt;
  }

  @Override
  public String toString() {
    return "AdmittedExecution["
        + proposalRef
        + " "
        + operation.type()
        + " on "
        + target.kind()
        + " "
        + target.namespace()
        + "/"
        + target.name()
        + " at rv "
        + resourceVersion
        + "]";
  }
}
