package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.broker.decision.EpochMarks;
import dev.seb.broker.proposal.MutationProposalReconciler;
import dev.seb.broker.runtime.BrokerConfig;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.epoch.HighWaterMark;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.OperationType;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * Authority is re-checked by the broker at execution from the stored specs, never read from the
 * operator's status: an epoch statement rolled back on the TrustAnchor (a GitOps revert) is denied
 * {@code EPOCH_ROLLBACK}, by this broker and by another instance; a delegated mandate whose parent
 * is revoked in its spec is denied while the operator is not running (no operator runs here, so
 * every status is as the test sets it), and so is one whose revoked parent's status was forged back
 * to Active.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorityRecheckIT {

  private static final String NS = "authority";
  private static final String AGENT = "system:serviceaccount:agents:planner";
  private static final String SERIAL = "authority-cert-1";
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.now();
  private static TestSab sab;
  private static String statementOne;
  private static boolean ready;

  @Inject KubernetesClient client;
  @Inject AnotherBroker brokers;
  @Inject BrokerConfig config;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (ready) {
      return;
    }
    // the broker's namespace may exist already: the health test makes it for the chain's Lease
    BrokerTestGround.namespaces(client, NS, "seb-system");
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(BrokerTestGround.web(NS, "registry.example/authority/web:1"))
        .create();

    sab = TestSab.create("sab.authority.test", Clock.systemUTC());
    // epoch N: revocation epoch 1, nothing revoked
    statementOne =
        sab.epochStatement()
            .issuedAt(T0.minus(Duration.ofMinutes(2)))
            .expiresAt(T0.plus(Duration.ofHours(2)))
            .revocationEpoch(1)
            .sign();
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName("sab-authority").build());
    anchor.setSpec(new TrustAnchorSpec(sab.sabId(), sab.rootsPem(), statementOne));
    client.resource(anchor).create();

    ObjectNode spec =
        (ObjectNode)
            CanonicalJson.mapper()
                .readTree(
                    """
        {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "authority", "name": "web"}},
         "operations": [{"type": "scale", "constraints": {"minReplicas": 1, "maxReplicas": 9}}],
         "reversibility": "reversible"}
        """);
    spec.put(
        "certificate",
        sab.certificate(spec, NS, "scale-web").serial(SERIAL).revocationEpoch(1).sign());
    ExecutionContract contract = new ExecutionContract();
    contract.setMetadata(new ObjectMetaBuilder().withName("scale-web").withNamespace(NS).build());
    contract.setSpec(CanonicalJson.mapper().treeToValue(spec, ExecutionContractSpec.class));
    client.resource(contract).create();

    mandate("direct", null, null);
    for (String lineage : List.of("", "-forged")) {
      mandate("root" + lineage, null, "{\"permitted\": true, \"maxAdditionalHops\": 1}");
      mandate("child" + lineage, "root" + lineage, null);
    }
    mandate("orphan", "no-such-parent", null);
    ready = true;
  }

  /** A mandate for the agent on scale-web, set Active as the operator would. */
  private Mandate mandate(String name, String parentRef, String delegation) throws Exception {
    ObjectNode spec =
        (ObjectNode)
            CanonicalJson.mapper()
                .readTree(
                    """
        {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/planner"},
         "scope": [{"contractRef": "scale-web", "operations": ["scale"], "constraints": {"minReplicas": 1, "maxReplicas": 9}}],
         "lifecycle": {"notAfter": "2099-01-01T00:00:00Z"}}
        """);
    if (parentRef != null) {
      spec.put("parentRef", parentRef);
    }
    if (delegation != null) {
      spec.set("delegation", CanonicalJson.mapper().readTree(delegation));
    }
    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    mandate.setSpec(CanonicalJson.mapper().treeToValue(spec, MandateSpec.class));
    return setActive(client.resource(mandate).create());
  }

  /** Sets status.phase Active for the mandate's current generation, as the operator would. */
  private Mandate setActive(Mandate mandate) {
    return BrokerTestGround.setActive(client, mandate);
  }

  private Mandate revokeInSpec(String name) {
    return client
        .resources(Mandate.class)
        .inNamespace(NS)
        .withName(name)
        .edit(
            m -> {
              MandateSpec s = m.getSpec();
              m.setSpec(
                  new MandateSpec(
                      s.principal(),
                      s.agent(),
                      s.purpose(),
                      s.scope(),
                      s.conditions(),
                      s.lifecycle(),
                      s.delegation(),
                      s.parentRef(),
                      new MandateSpec.Revocation("alice", "incident 7")));
              return m;
            });
  }

  private MutationProposal proposal(String name, String mandate, int replicas) {
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .withAnnotations(Map.of(SebKeys.SUBMITTED_BY, AGENT))
            .build()); // as the webhook stamps it
    proposal.setSpec(
        new MutationProposalSpec(
            mandate,
            "scale-web",
            new MutationProposalSpec.Operation(
                OperationType.SCALE, replicas, null, null, null, null, null),
            null,
            "authority re-check"));
    return proposal;
  }

  private MutationProposalStatus propose(String name, String mandate, int replicas) {
    client.resource(proposal(name, mandate, replicas)).create();
    return awaitDecided(name);
  }

  private MutationProposalStatus awaitDecided(String name) {
    return BrokerTestGround.awaitDecided(client, NS, name);
  }

  private static void assertDenied(
      MutationProposalStatus status, ReasonCode reason, String... messageParts) {
    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getReasons().get(0).code())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(reason);
    assertThat(status.getReasons().get(0).message()).contains(messageParts);
  }

  private void applyStatement(String compact) {
    client
        .resources(TrustAnchor.class)
        .withName("sab-authority")
        .edit(
            a -> {
              a.setSpec(
                  new TrustAnchorSpec(
                      a.getSpec().sabId(), a.getSpec().rootCertificates(), compact));
              return a;
            });
  }

  @Test
  @Order(1)
  void delegatedChildOfAnActiveParent_isAdmitted() {
    MutationProposalStatus status = propose("child-ok", "child", 3);
    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
  }

  @Test
  @Order(2)
  void childOfAParentRevokedInItsSpec_isDenied_whileTheOperatorIsNotRunning() {
    // the principal revokes the parent; no operator runs, so its status still says Active
    Mandate root = revokeInSpec("root");
    assertThat(root.getStatus().getPhase()).isEqualTo(MandateStatus.Phase.Active);
    Mandate child = client.resources(Mandate.class).inNamespace(NS).withName("child").get();
    assertThat(child.getStatus().getPhase()).isEqualTo(MandateStatus.Phase.Active);
    assertThat(child.getStatus().getObservedGeneration())
        .isEqualTo(child.getMetadata().getGeneration());

    assertDenied(
        propose("child-of-revoked", "child", 4),
        ReasonCode.MANDATE_INACTIVE,
        "ancestor Mandate root",
        "spec.revocation is set by alice");
  }

  @Test
  @Order(3)
  void revokedParentWhoseStatusWasForgedActive_stillDeniesTheChild() {
    Mandate root = revokeInSpec("root-forged");
    // whoever can write mandates/status sets the revoked parent back to Active, current generation
    Mandate forged = setActive(root);
    assertThat(forged.getStatus().getObservedGeneration())
        .isEqualTo(forged.getMetadata().getGeneration());

    assertDenied(
        propose("child-of-forged", "child-forged", 4),
        ReasonCode.MANDATE_INACTIVE,
        "ancestor Mandate root-forged",
        "spec.revocation");
    // and the forged parent itself
    assertDenied(
        propose("forged-itself", "root-forged", 4),
        ReasonCode.MANDATE_INACTIVE,
        "Mandate root-forged spec.revocation");
  }

  @Test
  @Order(4)
  void childWhoseParentDoesNotExist_isDenied_namingTheParent() {
    assertDenied(
        propose("orphaned", "orphan", 4),
        ReasonCode.MANDATE_MISSING,
        "ancestor Mandate no-such-parent",
        "does not exist");
  }

  @Test
  @Order(10)
  void rolledBackEpochStatement_isDenied_byThisBrokerAndByAnotherInstance() throws Exception {
    assertThat(propose("epoch-n", "direct", 5).getExecuted()).isTrue();

    // epoch N+1 revokes the contract's certificate
    String statementTwo =
        sab.epochStatement()
            .issuedAt(T0.minus(Duration.ofMinutes(1)))
            .expiresAt(T0.plus(Duration.ofHours(2)))
            .revocationEpoch(2)
            .revoke(SERIAL)
            .sign();
    applyStatement(statementTwo);
    assertDenied(propose("epoch-n1", "direct", 6), ReasonCode.CERTIFICATE_REVOKED, SERIAL);

    // a GitOps revert re-applies epoch N, still signed and unexpired: it would un-revoke SERIAL
    applyStatement(statementOne);
    assertDenied(
        propose("epoch-rolled-back", "direct", 6),
        ReasonCode.EPOCH_ROLLBACK,
        "revocationEpoch",
        "below the high-water mark");

    // the mark is the broker's own, durable, outside any process
    HighWaterMark kept = new EpochMarks(client, config).read().mark(sab.sabId());
    assertThat(kept.revocationEpoch()).isEqualTo(2);

    // a broker process that never saw epoch N+1 (a restart, another replica) denies it too
    MutationProposalReconciler other = brokers.reconciler(AnotherBroker.config("broker-authority"));
    MutationProposal created = client.resource(proposal("epoch-other", "direct", 6)).create();
    var answer = other.reconcile(created, null);
    if (answer.isPatchStatus()) {
      MutationProposalStatus own = answer.getResource().orElseThrow().getStatus();
      assertDenied(own, ReasonCode.EPOCH_ROLLBACK, "below the high-water mark");
      client.resource(answer.getResource().orElseThrow()).patchStatus();
    }
    assertDenied(
        awaitDecided("epoch-other"), ReasonCode.EPOCH_ROLLBACK, "below the high-water mark");
  }

  @Test
  @Order(11)
  void unreadableMark_failsClosed() {
    // the statement that raised the mark is applied again: nothing below the mark
    applyStatement(
        sab.epochStatement()
            .issuedAt(T0.minus(Duration.ofSeconds(30)))
            .expiresAt(T0.plus(Duration.ofHours(2)))
            .revocationEpoch(2)
            .sign());
    client
        .configMaps()
        .inNamespace("seb-system")
        .withName(EpochMarks.NAME)
        .edit(
            cm -> {
              cm.getData().put(EpochMarks.key(sab.sabId()), "{not a mark");
              return cm;
            });
    assertDenied(
        propose("mark-unreadable", "direct", 6),
        ReasonCode.INTERNAL_ERROR,
        "high-water mark",
        "fails closed");
  }
}
