package dev.seb.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.OperationType;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import dev.seb.local.LocalStack;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reason the broker can deny (or hold) a proposal for, reached end to end: the agent submits
 * through the real admission webhook (which stamps it), the operator and the broker run as
 * processes under their own accounts, and each denial is a signed record with executed=false.
 * REPLAY (a decided proposal whose status is reset) is in the broker's RecordedDecisionIT: the
 * broker does not reconcile a status change, so only a restarted broker would see it;
 * IDENTITY_MINT_FAILED is in its DenialIT (a contract for a namespace that does not exist, where no
 * Role can be made). Not here: EPOCH_ROLLBACK (an operator condition on the TrustAnchor) and
 * RECORD_CHAIN_BROKEN (the auditor's verdict, see LocalScenarioIT).
 */
class DenialReasonsIT {

  private static final Path ROOT = TestGround.repoRoot();
  private static final String NS = "reasons";
  private static final String IMAGE = "registry.example/shop/web:1.4.2";
  private static final Instant NOW = Instant.now();

  private static LocalStack stack;
  private static KubernetesClient admin;
  private static KubernetesClient agent;
  private static final List<String> CONTRACTS = new ArrayList<>();

  /** One case: contract and mandate to propose under, the operation, the expected outcome. */
  record Case(
      ReasonCode reason, String contract, String mandate, MutationProposalSpec.Operation op) {
    @Override
    public String toString() {
      return reason.name();
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(ReasonCode.MALFORMED_PROPOSAL, "annotate-web", "planner", patchWithoutPatch()),
        new Case(ReasonCode.AGENT_MISMATCH, "scale-web", "someone-else", scale(3)),
        new Case(ReasonCode.MANDATE_MISSING, "scale-web", "no-such-mandate", scale(3)),
        new Case(ReasonCode.MANDATE_INACTIVE, "scale-web", "revoked", scale(3)),
        new Case(ReasonCode.CONDITION_FAILED, "scale-web", "small-steps", scale(4)),
        new Case(ReasonCode.NO_CERTIFICATE, "no-such-contract", "planner", scale(3)),
        new Case(ReasonCode.CERTIFICATE_INVALID, "garbage-certificate", "planner", scale(3)),
        new Case(ReasonCode.UNTRUSTED_ISSUER, "foreign-sab", "planner", scale(3)),
        new Case(ReasonCode.CONTRACT_DIGEST_MISMATCH, "edited-after", "planner", scale(3)),
        new Case(ReasonCode.CERTIFICATE_NOT_YET_VALID, "not-yet", "planner", scale(3)),
        new Case(ReasonCode.CERTIFICATE_EXPIRED, "expired", "planner", scale(3)),
        new Case(ReasonCode.CERTIFICATE_REVOKED, "revoked-serial", "planner", scale(3)),
        new Case(ReasonCode.REVOCATION_EPOCH_STALE, "old-revocation-epoch", "planner", scale(3)),
        new Case(ReasonCode.POLICY_EPOCH_STALE, "old-policy-epoch", "planner", scale(3)),
        new Case(ReasonCode.EPOCH_STATEMENT_STALE, "stale-statement", "planner", scale(3)),
        new Case(ReasonCode.SCOPE_VIOLATION, "scale-web", "planner", scale(6)),
        new Case(ReasonCode.DRIFT_DETECTED, "other-image", "planner", scale(3)),
        new Case(ReasonCode.APPROVAL_REQUIRED, "irreversible", "planner", scale(3)),
        new Case(ReasonCode.EXECUTION_FAILED, "scale-a-configmap", "planner", scale(3)));
  }

  @BeforeAll
  static void up() throws Exception {
    stack = LocalStack.up(ROOT, ROOT.resolve("e2e/target/seb-reasons"), System.out);
    admin = client(stack.endpoints().adminKubeconfig());
    agent = client(stack.endpoints().agentKubeconfig());
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    admin.resource(dev.seb.ground.WebDeployment.of(NS, IMAGE)).create();
    admin
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace(NS)
                .endMetadata()
                .addToData("mode", "calm")
                .build())
        .create();
    admin
        .load(
            new ByteArrayInputStream(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: seb-agent, namespace: reasons}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: seb-agent}
                subjects: [{kind: ServiceAccount, name: planner, namespace: agents}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: seb-agent, namespace: reasons}
                rules:
                  - apiGroups: ["seb.dev"]
                    resources: ["mutationproposals"]
                    verbs: ["create", "get", "list", "watch"]
                """
                    .getBytes()))
        .serverSideApply();
    admin
        .namespaces()
        .withName(NS)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToLabels(SebKeys.PROTECTED, "true")
                    .endMetadata()
                    .build());

    Clock clock = Clock.systemUTC();
    TestSab sab = TestSab.create("sab.reasons.seb.dev", clock);
    anchor("sab", sab, sab.epochStatement().sign());
    TestSab revoking = TestSab.create("revoking.reasons.seb.dev", clock);
    anchor("revoking", revoking, revoking.epochStatement().revoke("serial-7").sign());
    TestSab epoch2 = TestSab.create("epoch2.reasons.seb.dev", clock);
    anchor("epoch2", epoch2, epoch2.epochStatement().minPolicyEpoch(2).revocationEpoch(2).sign());
    TestSab stale = TestSab.create("stale.reasons.seb.dev", clock);
    anchor(
        "stale",
        stale,
        stale
            .epochStatement()
            .issuedAt(NOW.minus(Duration.ofHours(2)))
            .expiresAt(NOW.minus(Duration.ofHours(1)))
            .sign());
    TestSab foreign = TestSab.create("foreign.reasons.seb.dev", clock);

    String scale = scaleSpec("web", "Deployment", "apps/v1", IMAGE, "reversible");
    contract("scale-web", scale, s -> sab.certificate(s, NS, "scale-web").sign());
    contract(
        "annotate-web",
        """
        {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "reasons", "name": "web"}},
         "operations": [{"type": "patch", "constraints": {"allowedPaths": ["/metadata/annotations/**"]}}],
         "reversibility": "reversible"}
        """,
        s -> sab.certificate(s, NS, "annotate-web").sign());
    contract("garbage-certificate", scale, s -> "not-a-jws");
    contract("foreign-sab", scale, s -> foreign.certificate(s, NS, "foreign-sab").sign());
    contract(
        "edited-after",
        scale,
        s -> {
          ObjectNode other = s.deepCopy();
          ((ObjectNode) other.at("/operations/0/constraints")).put("maxReplicas", 60);
          return sab.certificate(other, NS, "edited-after").sign();
        });
    contract(
        "not-yet",
        scale,
        s ->
            sab.certificate(s, NS, "not-yet")
                .notBefore(NOW.plus(Duration.ofHours(1)))
                .notAfter(NOW.plus(Duration.ofHours(2)))
                .sign());
    contract(
        "expired",
        scale,
        s ->
            sab.certificate(s, NS, "expired")
                .notBefore(NOW.minus(Duration.ofHours(2)))
                .notAfter(NOW.minus(Duration.ofHours(1)))
                .sign());
    contract(
        "revoked-serial",
        scale,
        s -> revoking.certificate(s, NS, "revoked-serial").serial("serial-7").sign());
    contract(
        "old-revocation-epoch",
        scale,
        s -> epoch2.certificate(s, NS, "old-revocation-epoch").policyEpoch(2).sign());
    contract(
        "old-policy-epoch",
        scale,
        s -> epoch2.certificate(s, NS, "old-policy-epoch").revocationEpoch(2).sign());
    contract("stale-statement", scale, s -> stale.certificate(s, NS, "stale-statement").sign());
    contract(
        "other-image",
        scaleSpec("web", "Deployment", "apps/v1", "registry.example/shop/web:9.9.9", "reversible"),
        s -> sab.certificate(s, NS, "other-image").sign());
    contract(
        "irreversible",
        scaleSpec("web", "Deployment", "apps/v1", IMAGE, "irreversible"),
        s -> sab.certificate(s, NS, "irreversible").sign());
    contract(
        "scale-a-configmap",
        """
        {"target": {"kubernetes": {"apiVersion": "v1", "kind": "ConfigMap", "namespace": "reasons", "name": "settings"}},
         "operations": [{"type": "scale", "constraints": {"minReplicas": 1, "maxReplicas": 5}}],
         "reversibility": "reversible"}
        """,
        s -> sab.certificate(s, NS, "scale-a-configmap").sign());

    mandate("planner", "agents/planner", null);
    mandate("someone-else", "agents/someone-else", null);
    mandate("revoked", "agents/planner", null);
    mandate(
        "small-steps",
        "agents/planner",
        "{\"name\": \"small-steps\", \"expression\": \"proposal.operation.replicas <= 3\","
            + " \"message\": \"scale in steps of at most 3\"}");
    for (String name : List.of("planner", "someone-else", "revoked", "small-steps")) {
      awaitPhase(name, MandateStatus.Phase.Active);
    }
    admin
        .resources(Mandate.class)
        .inNamespace(NS)
        .withName("revoked")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"spec\":{\"revocation\":{\"requestedBy\":\"kubeapitest\",\"reason\":\"done\"}}}");
    awaitPhase("revoked", MandateStatus.Phase.Revoked);
  }

  @AfterAll
  static void down() {
    if (admin != null) {
      admin.close();
      agent.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isReachedEndToEnd_andRecordedAsNotExecuted(Case c) {
    int before = replicas();
    MutationProposalStatus status =
        propose(
            c.reason().name().toLowerCase().replace('_', '-'), c.contract(), c.mandate(), c.op());

    assertThat(status.getReasons()).isNotEmpty();
    assertThat(status.getReasons().get(0).code())
        .as(status.getReasons().get(0).message())
        .isEqualTo(c.reason());
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getDecision())
        .isEqualTo(
            c.reason() == ReasonCode.APPROVAL_REQUIRED
                ? MutationProposalStatus.Decision.HOLD
                : MutationProposalStatus.Decision.DENY);
    assertThat(status.getSubmittedBy()).isEqualTo("system:serviceaccount:agents:planner");
    String record =
        status.getOutcomeRecord() != null ? status.getOutcomeRecord() : status.getDecisionRecord();
    ExecutionRecord signed =
        admin.resources(ExecutionRecord.class).inNamespace(NS).withName(record).get();
    assertThat(signed).as("a signed record of the denial").isNotNull();
    String payload =
        com.nimbusds.jose.util.Base64URL.from(signed.getSpec().jws().split("\\.")[1])
            .decodeToString();
    assertThat(payload).contains("\"executed\":false").contains(c.reason().name());
    assertThat(replicas()).as("nothing was changed").isEqualTo(before);
  }

  private static int replicas() {
    return admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas();
  }

  private static MutationProposalStatus propose(
      String name, String contract, String mandate, MutationProposalSpec.Operation op) {
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    proposal.setSpec(new MutationProposalSpec(mandate, contract, op, null, "the same reason"));
    agent.resource(proposal).create();
    return admin
        .resources(MutationProposal.class)
        .inNamespace(NS)
        .withName(name)
        .waitUntilCondition(
            p ->
                p != null
                    && p.getStatus() != null
                    && p.getStatus().getDecision() != null
                    && (p.getStatus().getDecision() != MutationProposalStatus.Decision.ADMIT
                        || p.getStatus().getOutcomeRecord() != null),
            60,
            TimeUnit.SECONDS)
        .getStatus();
  }

  private static MutationProposalSpec.Operation scale(int replicas) {
    return new MutationProposalSpec.Operation(
        OperationType.SCALE, replicas, null, null, null, null, null);
  }

  private static MutationProposalSpec.Operation patchWithoutPatch() {
    return new MutationProposalSpec.Operation(
        OperationType.PATCH, null, MutationProposalSpec.PatchType.MERGE, null, null, null, null);
  }

  private static String scaleSpec(
      String name, String kind, String apiVersion, String image, String reversibility) {
    return """
        {"target": {"kubernetes": {"apiVersion": "%s", "kind": "%s", "namespace": "reasons", "name": "%s"}},
         "operations": [{"type": "scale", "constraints": {"minReplicas": 2, "maxReplicas": 5}}],
         "preconditions": [{"path": "/spec/template/spec/containers/0/image", "equals": "%s"}],
         "reversibility": "%s"}
        """
        .formatted(apiVersion, kind, name, image, reversibility);
  }

  private static void anchor(String name, TestSab sab, String statement) {
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName("reasons-" + name).build());
    anchor.setSpec(new TrustAnchorSpec(sab.sabId(), sab.rootsPem(), statement));
    admin.resource(anchor).create();
  }

  private static void contract(
      String name, String json, java.util.function.Function<ObjectNode, String> certify)
      throws Exception {
    ObjectNode spec = (ObjectNode) CanonicalJson.mapper().readTree(json);
    spec.put("certificate", certify.apply(spec));
    ExecutionContract contract = new ExecutionContract();
    contract.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    contract.setSpec(CanonicalJson.mapper().treeToValue(spec, ExecutionContractSpec.class));
    admin.resource(contract).create();
    CONTRACTS.add(name);
  }

  private static void mandate(String name, String agentAccount, String condition) throws Exception {
    StringBuilder scope = new StringBuilder();
    for (String contract : CONTRACTS) {
      scope.append(scope.length() == 0 ? "" : ",").append("{\"contractRef\":\"" + contract + "\"}");
    }
    ObjectNode spec =
        (ObjectNode)
            CanonicalJson.mapper()
                .readTree(
                    """
                    {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "%s"},
                     "scope": [%s], "lifecycle": {"notAfter": "%s"}}
                    """
                        .formatted(agentAccount, scope, NOW.plus(Duration.ofHours(4))));
    if (condition != null) {
      spec.putArray("conditions").add(CanonicalJson.mapper().readTree(condition));
    }
    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    mandate.setSpec(CanonicalJson.mapper().treeToValue(spec, MandateSpec.class));
    admin.resource(mandate).create();
  }

  private static void awaitPhase(String mandate, MandateStatus.Phase phase) {
    admin
        .resources(Mandate.class)
        .inNamespace(NS)
        .withName(mandate)
        .waitUntilCondition(
            m -> m != null && m.getStatus() != null && m.getStatus().getPhase() == phase,
            60,
            TimeUnit.SECONDS);
  }

  private static KubernetesClient client(Path kubeconfig) throws Exception {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }
}
