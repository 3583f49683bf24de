package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * What the broker refuses is recorded and never executed: a proposal outside the mandate, a create
 * of another object than the contract's, an identity that cannot be minted, and a contract whose
 * trust anchor changed or is gone.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class DenialIT {

  private static final Duration SOON = Duration.ofSeconds(30);
  private static Shop shop;

  @Inject KubernetesClient client;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (shop == null) {
      shop = Shop.open(client, "exec-denial");
    }
  }

  @Test
  void proposalOutsideTheMandate_isDeniedAndRecorded_notExecuted() {
    int before = shop.webReplicas();
    MutationProposalStatus status = shop.propose("scale-to-6", 6);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(status.getExecuted()).isFalse();
    ExecutionRecord record =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(shop.ns)
            .withName(status.getDecisionRecord())
            .get();
    assertThat(record.getSpec().kind()).isEqualTo(ExecutionRecordSpec.Kind.DENIAL);
    assertThat(shop.webReplicas()).isEqualTo(before);
  }

  @Test
  void createOfAnotherObjectThanTheContracts_isScopeViolation() throws Exception {
    MutationProposalStatus status =
        shop.propose(
            "create-other",
            "create-cm",
            Operations.create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "sneaky"}}
                """));
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(status.getExecuted()).isFalse();
    assertThat(client.configMaps().inNamespace(shop.ns).withName("sneaky").get()).isNull();
  }

  @Test
  void anIdentityThatCannotBeMinted_isADenial_andLeavesNothingBehind() throws Exception {
    // the contract's namespace does not exist: the ServiceAccount and its token can be made, the
    // Role and RoleBinding cannot
    MutationProposalStatus status =
        shop.propose(
            "create-nowhere",
            "create-nowhere",
            Operations.create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "lost"},
                 "data": {"mode": "calm"}}
                """));
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.IDENTITY_MINT_FAILED);
    assertThat(status.getReasons().get(0).message()).contains("no-such-namespace");
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getDecisionRecord()).isNotNull();
    assertThat(status.getOutcomeRecord()).isNotNull();
    String uid = shop.proposal("create-nowhere").getMetadata().getUid();
    assertThat(shop.records(uid, ExecutionRecordSpec.Kind.OUTCOME)).hasSize(1);
    assertThat(
            client
                .serviceAccounts()
                .inNamespace("seb-system")
                .withLabel(SebKeys.PROPOSAL_UID, uid)
                .list()
                .getItems())
        .as("no orphan ServiceAccount")
        .isEmpty();
  }

  @Test
  void theAnchorThatVerifiedTheContractLastTime_isReadLiveForEveryDecision() {
    int current = shop.webReplicas();
    assertThat(shop.propose("anchor-known", current == 2 ? 3 : 2).getExecuted()).isTrue();
    TrustAnchor anchor = client.resources(TrustAnchor.class).withName(shop.anchorName()).get();
    TrustAnchorSpec trusted = anchor.getSpec();

    // the anchor the broker read by name last time now names another issuer
    anchor.setSpec(
        new TrustAnchorSpec("someone-else", trusted.rootCertificates(), trusted.epochStatement()));
    client.resource(anchor).update();
    MutationProposalStatus status = shop.propose("anchor-renamed", current);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.UNTRUSTED_ISSUER);
    assertThat(status.getExecuted()).isFalse();

    // the anchor is gone
    client.resources(TrustAnchor.class).withName(shop.anchorName()).delete();
    await()
        .atMost(SOON)
        .until(() -> client.resources(TrustAnchor.class).withName(shop.anchorName()).get() == null);
    status = shop.propose("anchor-gone", current);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.UNTRUSTED_ISSUER);
    assertThat(status.getExecuted()).isFalse();

    // trusted again
    TrustAnchor restored = new TrustAnchor();
    restored.setMetadata(new ObjectMetaBuilder().withName(shop.anchorName()).build());
    restored.setSpec(trusted);
    client.resource(restored).create();
    status = shop.propose("anchor-back", current);
    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
  }
}
