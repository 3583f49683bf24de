package dev.seb.broker.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.broker.record.ProposalRecords;
import dev.seb.broker.runtime.BoundedCache;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.broker.runtime.Parallel;
import dev.seb.broker.runtime.Stages;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.canonical.Digests;
import dev.seb.contracts.certificate.ContractCertificateVerifier;
import dev.seb.contracts.epoch.EpochStatementVerifier;
import dev.seb.contracts.epoch.HighWaterMark;
import dev.seb.contracts.epoch.VerifiedEpochStatement;
import dev.seb.contracts.execution.DecisionInput;
import dev.seb.contracts.mandate.MandateAuthority;
import dev.seb.contracts.time.ClockLeeway;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec.KubernetesTarget;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Step "gather" of ARCHITECTURE.md section 5: every input of a decision, read fresh from the API
 * server (status written by the operator is a hint, never authority): the proposal, its mandate and
 * every ancestor from their specs, the contract, the trust anchor of the certificate's issuer with
 * its epoch statement checked against the broker's own high-water mark, whether the proposal was
 * decided before, and the target's live state. Independent reads go out at once.
 */
@ApplicationScoped
public class DecisionInputs {

  private static final Logger LOG = Logger.getLogger(DecisionInputs.class);

  /** The ExecutionContract kind, read generically: its spec is canonicalised as stored. */
  public static final ResourceDefinitionContext CONTRACTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("seb.dev")
          .withVersion("v1alpha1")
          .withPlural("executioncontracts")
          .withKind("ExecutionContract")
          .withNamespaced(true)
          .build();

  /** How many contracts' last target and anchor are remembered (a shortcut, never authority). */
  private static final int REMEMBERED = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final BrokerConfig config;
  private final ClockLeeway leeway;
  private final EpochMarks marks;
  private final ProposalRecords records;
  private final AnchorLookup anchors;
  private final Stages stages;

  /** The target each contract named last time, read alongside the contract. */
  private final BoundedCache<String, KubernetesTarget> lastTargets = new BoundedCache<>(REMEMBERED);

  public DecisionInputs(
      KubernetesClient client,
      Clock clock,
      BrokerConfig config,
      EpochMarks marks,
      ProposalRecords records,
      AnchorLookup anchors,
      Stages stages) {
    this.client = client;
    this.clock = clock;
    this.config = config;
    this.leeway = ClockLeeway.of(config.clockLeeway());
    this.marks = marks;
    this.records = records;
    this.anchors = anchors;
    this.stages = stages;
  }

  /** Starts gathering; the reads run while the caller claims the proposal. */
  public CompletableFuture<DecisionInput> start(MutationProposal proposal) {
    return Parallel.start(() -> stages.timed("gather", () -> gather(proposal)));
  }

  private DecisionInput gather(MutationProposal proposal) {
    String ns = proposal.getMetadata().getNamespace();
    String uid = proposal.getMetadata().getUid();
    JsonNode spec = CanonicalJson.mapper().valueToTree(proposal.getSpec());
    String mandateRef = proposal.getSpec() == null ? null : proposal.getSpec().mandateRef();
    String contractRef = proposal.getSpec() == null ? null : proposal.getSpec().contractRef();
    var mandateRead =
        read(
            "mandate",
            () ->
                mandateRef == null
                    ? null
                    : client.resources(Mandate.class).inNamespace(ns).withName(mandateRef).get());
    var contractRead =
        read(
            "contract",
            () ->
                contractRef == null
                    ? null
                    : client
                        .genericKubernetesResources(CONTRACTS)
                        .inNamespace(ns)
                        .withName(contractRef)
                        .get());
    // the broker's own epoch high-water marks: never the operator's TrustAnchor status
    var marksRead = read("marks", marks::read);
    // a decision record about this very proposal: deciding it again is a replay
    var recordsRead = read("records", () -> records.decided(ns, uid));
    // the target the contract named last time, read alongside: used only when the contract still
    // names the same object (the contract itself is always read live)
    String contractKey = ns + "/" + contractRef;
    KubernetesTarget expectedTarget = contractRef == null ? null : lastTargets.get(contractKey);
    var expectedRead =
        expectedTarget == null ? null : read("target", () -> readTarget(expectedTarget));
    var anchorRead = contractRef == null ? null : anchors.startExpected(contractKey);
    Mandate mandate = Parallel.result(mandateRead);
    // every ancestor along spec.parentRef, from the specs: the pipeline decides the lineage
    var ancestorsRead = read("ancestors", () -> ancestors(ns, mandate));
    GenericKubernetesResource contract = Parallel.result(contractRead);
    JsonNode contractSpec =
        contract == null
            ? null
            : CanonicalJson.mapper().valueToTree(contract.getAdditionalProperties().get("spec"));
    DecisionInput.Authority authority = null;
    JsonNode live = null;
    if (contractSpec != null) {
      TrustAnchor anchor =
          anchors.anchorFor(contractKey, contractSpec.path("certificate").asText(null), anchorRead);
      if (anchor != null) {
        authority = authority(anchor, Parallel.result(marksRead));
      }
      JsonNode k8s = contractSpec.path("target").path("kubernetes");
      if (k8s.isObject()) {
        KubernetesTarget target = CanonicalJson.mapper().convertValue(k8s, KubernetesTarget.class);
        GenericKubernetesResource object =
            target.equals(expectedTarget) ? Parallel.result(expectedRead) : readTarget(target);
        lastTargets.put(contractKey, target);
        live = object == null ? null : CanonicalJson.mapper().valueToTree(object);
      }
    }
    // a proposal's digest covers its uid, so only the proposal itself can have been decided with
    // it; its decision record is the evidence
    Set<String> decided =
        Parallel.result(recordsRead)
            ? Set.of(Digests.proposal(spec, ns, proposal.getMetadata().getName(), uid))
            : Set.of();
    String submittedBy =
        proposal.getMetadata().getAnnotations() == null
            ? null
            : proposal.getMetadata().getAnnotations().get(SebKeys.SUBMITTED_BY);
    return new DecisionInput(
        new DecisionInput.Proposal(ns, proposal.getMetadata().getName(), uid, spec, submittedBy),
        mandate,
        Parallel.result(ancestorsRead),
        contractSpec == null ? null : new DecisionInput.Contract(ns, contractRef, contractSpec),
        authority,
        decided,
        live);
  }

  /**
   * The anchor's verifier, its epoch statement verified now and the broker's mark for its SAB; what
   * cannot be verified stays null and the pipeline fails closed on it.
   */
  private DecisionInput.Authority authority(TrustAnchor anchor, EpochMarks.Snapshot seen) {
    VerifiedEpochStatement statement;
    try {
      statement =
          EpochStatementVerifier.forAnchor(anchor.getSpec())
              .verify(anchor.getSpec().epochStatement(), clock, leeway);
    } catch (VerificationException e) {
      statement = null; // EPOCH_STATEMENT_STALE
    }
    HighWaterMark mark = null; // unknown: the pipeline fails closed
    if (statement != null) {
      try {
        mark = marks.observe(seen, statement);
      } catch (VerificationException | RuntimeException e) {
        LOG.errorf("epoch high-water mark unavailable: %s", e.getMessage());
      }
    }
    try {
      return new DecisionInput.Authority(
          ContractCertificateVerifier.forBroker(anchor.getSpec(), config.brokerId()),
          statement,
          mark);
    } catch (VerificationException e) {
      return null;
    }
  }

  /**
   * The mandate's ancestors by name, read one parent at a time along {@code spec.parentRef}; stops
   * at a missing parent, a name seen before or {@link MandateAuthority#MAX_DEPTH}, each of which
   * the pipeline denies.
   */
  private Map<String, Mandate> ancestors(String ns, Mandate mandate) {
    Map<String, Mandate> found = new HashMap<>();
    Set<String> seen = new HashSet<>();
    Mandate child = mandate;
    while (child != null
        && child.getSpec() != null
        && child.getSpec().parentRef() != null
        && seen.size() <= MandateAuthority.MAX_DEPTH) {
      String parentRef = child.getSpec().parentRef();
      if (!seen.add(parentRef)) {
        break;
      }
      child = client.resources(Mandate.class).inNamespace(ns).withName(parentRef).get();
      if (child != null) {
        found.put(parentRef, child);
      }
    }
    return found;
  }

  private <T> CompletableFuture<T> read(String input, Supplier<T> call) {
    return Parallel.start(() -> stages.read(input).record(call));
  }

  /** The target object as stored now; null when absent. */
  public GenericKubernetesResource readTarget(KubernetesTarget target) {
    return client
        .genericKubernetesResources(target.apiVersion(), target.kind())
        .inNamespace(target.namespace())
        .withName(target.name())
        .get();
  }

  /** The Kubernetes target a contract names now; null when the contract is gone. */
  public KubernetesTarget contractTarget(String ns, String contractRef) {
    GenericKubernetesResource contract =
        client.genericKubernetesResources(CONTRACTS).inNamespace(ns).withName(contractRef).get();
    if (contract == null) {
      return null;
    }
    JsonNode spec =
        CanonicalJson.mapper().valueToTree(contract.getAdditionalProperties().get("spec"));
    return CanonicalJson.mapper()
        .convertValue(spec.path("target").path("kubernetes"), KubernetesTarget.class);
  }
}
