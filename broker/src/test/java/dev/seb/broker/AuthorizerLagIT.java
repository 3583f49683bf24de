package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.broker.identity.IdentityMinter;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * The minted identity and the API server's authorizer: an authorizer that grants the identity late
 * delays the write, one that never does fails the execution before anything is written, and a
 * revocation that fails after the write is signed evidence of exactly that.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class AuthorizerLagIT {

  private static final Duration SOON = Duration.ofSeconds(30);
  private static Shop shop;

  @Inject KubernetesClient client;
  @Inject IdentityMinter minter;
  @Inject BrokerProbe probe;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (shop == null) {
      shop = Shop.open(client, "exec-authorizer-lag");
    }
  }

  @Test
  void anAuthorizerThatHasNotYetSeenTheMintedRoleBinding_delaysTheWrite_doesNotFailIt()
      throws Exception {
    int current = shop.webReplicas();
    int wanted = current == 2 ? 3 : 2;
    Unbinder unbinder = Unbinder.regranted(client, minter);
    probe.beforeWrite(shop.ns, "unbound-regranted", unbinder);
    MutationProposalStatus status = shop.propose("unbound-regranted", wanted);
    assertThat(unbinder.removed).as("the hook took the RoleBinding away").isNotNull();
    assertThat(unbinder.restored.get(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(status.getReasons()).isEmpty();
    assertThat(status.getExecuted()).isTrue();
    assertThat(shop.webReplicas()).isEqualTo(wanted);
    assertThat(shop.executionIdentitiesLeft()).as("revoked after the delayed write").isEmpty();
  }

  @Test
  void anIdentityTheAuthorizerNeverGrants_isAnExecutionFailure_nothingWritten() {
    int current = shop.webReplicas();
    probe.beforeWrite(shop.ns, "unbound", Unbinder.neverGranted(client, minter));
    MutationProposalStatus status = shop.propose("unbound", current == 2 ? 3 : 2);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.EXECUTION_FAILED);
    assertThat(status.getReasons().get(0).message())
        .contains("authorizer did not grant the minted identity its Role within 5 s")
        .contains("nothing was written");
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getOutcomeRecord()).isNotNull();
    assertThat(shop.webReplicas()).isEqualTo(current);
    assertThat(shop.executionIdentitiesLeft()).isEmpty();
  }

  @Test
  void aRevocationThatFailsAfterTheWrite_isRecordedAsExecuted_withoutRevocationTime()
      throws Exception {
    int current = shop.webReplicas();
    int wanted = current == 2 ? 3 : 2;
    try (RevocationBlocker blocker = new RevocationBlocker(client);
        var hook = probe.beforeWrite(shop.ns, "unrevokable", blocker)) {
      MutationProposalStatus status = shop.propose("unrevokable", wanted);
      assertThat(blocker.account).as("the hook kept the ServiceAccount").isNotNull();
      assertThat(status.getReasons()).isEmpty();
      assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
      assertThat(status.getExecuted()).as("the write happened").isTrue();
      assertThat(shop.webReplicas()).isEqualTo(wanted);
      JsonNode outcome = shop.payload(status.getOutcomeRecord());
      assertThat(outcome.at("/executed").asBoolean()).isTrue();
      assertThat(outcome.at("/identity/subject").asText())
          .isEqualTo("system:serviceaccount:" + blocker.account.replace("/", ":"));
      assertThat(outcome.at("/identity").has("revokedAt"))
          .as("signed evidence that the identity was not revoked")
          .isFalse();
      assertThat(shop.executionIdentitiesLeft())
          .as("its Role and RoleBinding went; only the kept ServiceAccount is left")
          .containsExactly("ServiceAccount " + blocker.account.split("/")[1]);
    }
    await()
        .atMost(SOON)
        .ignoreExceptions()
        .until(
            () -> {
              client.serviceAccounts().withLabel(SebKeys.EXECUTION_IDENTITY).delete();
              return shop.executionIdentitiesLeft().isEmpty();
            });
  }
}
