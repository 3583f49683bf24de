package dev.seb.contracts.execution;

import static dev.seb.contracts.ReasonCode.APPROVAL_REQUIRED;
import static dev.seb.contracts.ReasonCode.CERTIFICATE_INVALID;
import static dev.seb.contracts.ReasonCode.DRIFT_DETECTED;
import static dev.seb.contracts.ReasonCode.INTERNAL_ERROR;
import static dev.seb.contracts.ReasonCode.MALFORMED_PROPOSAL;
import static dev.seb.contracts.ReasonCode.MANDATE_MISSING;
import static dev.seb.contracts.ReasonCode.NO_CERTIFICATE;
import static dev.seb.contracts.ReasonCode.REPLAY;
import static dev.seb.contracts.ReasonCode.SCOPE_VIOLATION;
import static dev.seb.contracts.ReasonCode.UNTRUSTED_ISSUER;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.certificate.VerifiedCertificate;
import dev.seb.contracts.drift.DriftVerifier;
import dev.seb.contracts.epoch.EpochPolicy;
import dev.seb.contracts.mandate.ConditionEvaluator;
import dev.seb.contracts.mandate.MandateAuthority;
import dev.seb.contracts.mandate.MandateVerifier;
import dev.seb.contracts.scope.MandateNarrowing;
import dev.seb.contracts.scope.ScopeVerifier;
import dev.seb.contracts.time.ClockLeeway;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.Reversibility;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.OperationType;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The decision pipeline of ARCHITECTURE §5, steps 1 to 8, in order; the first failing check
 * decides. It is the only place an {@link AdmittedExecution} is created. Every exception is a
 * denial: a {@link VerificationException} with its own reason, anything else {@code
 * INTERNAL_ERROR}. Steps 9 to 11 (record, mint, mutate, revoke) are the broker's, which can only
 * reach them with the capability.
 */
public final class DecisionPipeline {

  private final Clock clock;
  private final ClockLeeway leeway;
  private final ConditionEvaluator conditions;

  /** A pipeline deciding at the clock's time, with no clock leeway. */
  public DecisionPipeline(Clock clock) {
    this(clock, ClockLeeway.NONE);
  }

  /**
   * A pipeline deciding at the clock's time, tolerating {@code leeway} of skew on every validity
   * bound as {@link ClockLeeway} describes.
   */
  public DecisionPipeline(Clock clock, ClockLeeway leeway) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.leeway = Objects.requireNonNull(leeway, "leeway");
    this.conditions = new ConditionEvaluator();
  }

  /** Decides one proposal. Never throws; never admits on an error. */
  public Decision decide(DecisionInput input) {
    String digest = null;
    try {
      // 1. well-formed and stamped
      DecisionInput.Proposal proposal = require(input.proposal(), "proposal");
      MutationProposalSpec spec = readSpec(proposal);
      digest =
          Digests.proposal(proposal.spec(), proposal.namespace(), proposal.name(), proposal.uid());
      if (input.mandate() != null && input.mandate().getSpec() != null) {
        MandateVerifier.verifySubmitter(proposal.submittedBy(), input.mandate().getSpec());
      } else if (proposal.submittedBy() == null || proposal.submittedBy().isBlank()) {
        throw new VerificationException(
            MALFORMED_PROPOSAL,
            "metadata.annotations[seb.dev/submitted-by] is missing: the proposal was not admitted through seb's webhook");
      }
      // 2. not already decided
      if (input.decidedDigests() != null && input.decidedDigests().contains(digest)) {
        throw new VerificationException(
            REPLAY, "a proposal with digest " + digest + " was already decided");
      }
      // 3. mandate
      if (input.mandate() == null || input.mandate().getSpec() == null) {
        throw new VerificationException(
            MANDATE_MISSING,
            "spec.mandateRef: Mandate "
                + proposal.namespace()
                + "/"
                + spec.mandateRef()
                + " does not exist");
      }
      MandateSpec mandate = input.mandate().getSpec();
      MandateAuthority.verify(input.mandate(), input.ancestors(), clock, leeway);
      conditions.verify(mandate.conditions(), proposal.spec(), clock);
      // 4. contract and certificate
      if (input.contract() == null || input.contract().spec() == null) {
        throw new VerificationException(
            NO_CERTIFICATE,
            "spec.contractRef: ExecutionContract "
                + proposal.namespace()
                + "/"
                + spec.contractRef()
                + " does not exist, so nothing certifies the change");
      }
      if (input.authority() == null) {
        // nothing to verify with: say what the certificate lacks, it is never admitted either way
        String certificate = input.contract().spec().path("certificate").asText("");
        if (certificate.isBlank()) {
          throw new VerificationException(
              NO_CERTIFICATE,
              "spec.certificate of ExecutionContract " + spec.contractRef() + " is empty");
        }
        String issuer =
            dev.seb.contracts.certificate.IssuerHint.unverifiedIssuer(certificate)
                .orElseThrow(
                    () ->
                        new VerificationException(
                            CERTIFICATE_INVALID,
                            "spec.certificate of ExecutionContract "
                                + spec.contractRef()
                                + " is not a compact JWS naming its issuer (iss)"));
        throw new VerificationException(
            UNTRUSTED_ISSUER,
            "spec.certificate: no ready TrustAnchor for issuer '"
                + issuer
                + "': nothing can be verified, so nothing is admitted");
      }
      DecisionInput.Contract contractInput = input.contract();
      VerifiedCertificate certificate =
          input
              .authority()
              .certificates()
              .verify(
                  contractInput.spec(),
                  contractInput.namespace(),
                  contractInput.name(),
                  clock,
                  leeway);
      ExecutionContractSpec contract =
          CanonicalJson.mapper().treeToValue(contractInput.spec(), ExecutionContractSpec.class);
      // 5. epochs
      EpochPolicy.check(
          certificate, input.authority().statement(), input.authority().mark(), clock, leeway);
      // 6. scope: inside the contract and inside the mandate's scope for it
      MandateSpec.Scope scope =
          mandate.scope().stream()
              .filter(s -> contractInput.name().equals(s.contractRef()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new VerificationException(
                          SCOPE_VIOLATION,
                          "spec.contractRef: Mandate "
                              + input.mandate().getMetadata().getName()
                              + " has no scope entry for contract "
                              + contractInput.name()));
      MandateNarrowing.verify(scope, contract);
      ScopeVerifier.verify(spec.operation(), contract, scope);
      if (contract.target() == null || contract.target().kubernetes() == null) {
        throw new VerificationException(
            SCOPE_VIOLATION, "spec.target: only Kubernetes targets are executable by this broker");
      }
      // 7. live state
      String resourceVersion;
      if (spec.operation().type() == OperationType.CREATE) {
        if (input.liveTarget() != null) {
          throw new VerificationException(DRIFT_DETECTED, "the object to create already exists");
        }
        resourceVersion = "";
      } else {
        if (input.liveTarget() == null) {
          throw new VerificationException(
              DRIFT_DETECTED, "spec.target: " + describe(contract) + " does not exist");
        }
        resourceVersion =
            DriftVerifier.verify(
                contract.preconditions() == null ? List.of() : contract.preconditions(),
                input.liveTarget(),
                spec.observed() == null ? null : spec.observed().resourceVersion());
      }
      // 8. approval gate
      if (contract.reversibility() == Reversibility.IRREVERSIBLE
          || (contract.approval() != null && Boolean.TRUE.equals(contract.approval().required()))) {
        return new Decision.Hold(
            digest,
            APPROVAL_REQUIRED,
            contract.reversibility() == Reversibility.IRREVERSIBLE
                ? "spec.reversibility: irreversible changes need an approval"
                : "spec.approval.required: the contract requires an approval");
      }
      return new Decision.Admit(
          digest,
          new AdmittedExecution(
              digest,
              proposal.ref(),
              proposal.namespace() + "/" + input.mandate().getMetadata().getName(),
              certificate.serial(),
              contract.target().kubernetes(),
              spec.operation(),
              resourceVersion,
              dev.seb.contracts.canonical.Digests.state(input.liveTarget()),
              clock.instant()));
    } catch (VerificationException e) {
      return new Decision.Deny(digest, e.reason(), e.getMessage());
    } catch (RuntimeException | JsonProcessingException e) {
      return new Decision.Deny(digest, INTERNAL_ERROR, "internal error while deciding: " + e);
    }
  }

  private static MutationProposalSpec readSpec(DecisionInput.Proposal proposal)
      throws VerificationException {
    if (proposal.spec() == null || !proposal.spec().isObject()) {
      throw new VerificationException(MALFORMED_PROPOSAL, "spec is missing");
    }
    for (String field : new String[] {"namespace", "name", "uid"}) {
      String value =
          switch (field) {
            case "namespace" -> proposal.namespace();
            case "name" -> proposal.name();
            default -> proposal.uid();
          };
      if (value == null || value.isBlank()) {
        throw new VerificationException(MALFORMED_PROPOSAL, "metadata." + field + " is missing");
      }
    }
    MutationProposalSpec spec;
    try {
      spec = CanonicalJson.mapper().treeToValue(proposal.spec(), MutationProposalSpec.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new VerificationException(
          MALFORMED_PROPOSAL, "spec cannot be read: " + e.getMessage(), e);
    }
    if (spec.operation() == null || spec.operation().type() == null) {
      throw new VerificationException(MALFORMED_PROPOSAL, "spec.operation.type is missing");
    }
    if (spec.mandateRef() == null || spec.contractRef() == null) {
      throw new VerificationException(
          MALFORMED_PROPOSAL, "spec.mandateRef and spec.contractRef are required");
    }
    if (spec.operation().type() == OperationType.PATCH
        && (spec.operation().patch() == null || spec.operation().patch().isNull())) {
      throw new VerificationException(MALFORMED_PROPOSAL, "spec.operation.patch is missing");
    }
    return spec;
  }

  private static <T> T require(T value, String what) throws VerificationException {
    if (value == null) {
      throw new VerificationException(MALFORMED_PROPOSAL, what + " is missing");
    }
    return value;
  }

  private static String describe(ExecutionContractSpec contract) {
    var t = contract.target().kubernetes();
    return t.kind() + " " + t.namespace() + "/" + t.name();
  }
}
