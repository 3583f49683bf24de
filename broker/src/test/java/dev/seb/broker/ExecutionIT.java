package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.testing.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * The broker in process on a real API server executes what it admits: a scale, a merge patch, a
 * create and a delete, each by a minted identity whose token is dead afterwards.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class ExecutionIT {

  private static final Duration SOON = Duration.ofSeconds(30);
  private static Shop shop;

  @Inject KubernetesClient client;
  @Inject BrokerProbe probe;
  Cluster cluster;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (shop == null) {
      shop = Shop.open(client, "exec-execution");
    }
  }

  @Test
  void admittedScale_isExecutedByAMintedIdentity_whoseTokenIsDeadAfterwards() throws Exception {
    MutationProposalStatus status = shop.propose("scale-to-4", 4);
    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    assertThat(status.getProposalDigest()).startsWith("sha256:");
    assertThat(status.getDecisionRecord()).isNotNull();
    assertThat(status.getOutcomeRecord()).isNotNull();
    // the records say which state was checked and which the write left
    JsonNode decided = shop.payload(status.getDecisionRecord());
    JsonNode outcome = shop.payload(status.getOutcomeRecord());
    assertThat(decided.path("preState").asText()).startsWith("sha256:");
    assertThat(outcome.path("preState").asText()).isEqualTo(decided.path("preState").asText());
    assertThat(outcome.path("postState").asText())
        .startsWith("sha256:")
        .isNotEqualTo(decided.path("preState").asText());
    assertThat(shop.webReplicas()).isEqualTo(4);

    assertThat(shop.executionIdentitiesLeft()).isEmpty();
    List<BrokerProbe.Revoked> revoked = probe.revoked(shop.ns, "scale-to-4");
    assertThat(revoked).isNotEmpty();
    BrokerProbe.Revoked last = revoked.get(revoked.size() - 1);
    assertThat(last.username()).startsWith("system:serviceaccount:seb-system:seb-exec-");
    try (KubernetesClient dead = cluster.newTokenClient(last.token())) {
      await()
          .atMost(SOON)
          .untilAsserted(
              () ->
                  assertThatThrownBy(
                          () ->
                              dead.apps().deployments().inNamespace(shop.ns).withName("web").get())
                      .isInstanceOfSatisfying(
                          KubernetesClientException.class,
                          e -> assertThat(e.getCode()).isEqualTo(401)));
    }
  }

  @Test
  void admittedMergePatch_isExecutedConditionally() throws Exception {
    MutationProposalStatus status =
        shop.propose(
            "annotate",
            "annotate-web",
            Operations.mergePatch(
                "{\"spec\": {\"template\": {\"metadata\": {\"annotations\": {\"seb.dev/reason\": \"peak\"}}}}}"));
    assertThat(status.getExecuted()).as(String.valueOf(status.getReasons())).isTrue();
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(shop.ns)
                .withName("web")
                .get()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .containsEntry("seb.dev/reason", "peak");
  }

  @Test
  void admittedCreate_isExecutedByAMintedIdentity() throws Exception {
    MutationProposalStatus status =
        shop.propose(
            "create-it",
            "create-cm",
            Operations.create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "created"},
                 "data": {"mode": "calm"}}
                """));
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    assertThat(client.configMaps().inNamespace(shop.ns).withName("created").get().getData())
        .containsEntry("mode", "calm");
    ExecutionRecord outcome =
        client
            .resources(ExecutionRecord.class)
            .inNamespace(shop.ns)
            .withName(status.getOutcomeRecord())
            .get();
    assertThat(outcome.getSpec().jws()).isNotBlank();
  }

  @Test
  void admittedDelete_removesTheTarget() {
    MutationProposalStatus status = shop.propose("delete-it", "delete-cm", Operations.DELETE);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    assertThat(client.configMaps().inNamespace(shop.ns).withName("doomed").get()).isNull();
  }

  @Test
  void aProposalWithALongName_isExecuted_itsIdentityLabelledByUid() {
    int current = shop.webReplicas();
    String name = "scale-" + "x".repeat(110); // namespace/name together exceed a label value
    MutationProposalStatus status = shop.propose(name, current == 2 ? 3 : 2);
    assertThat(status.getReasons()).isEmpty();
    assertThat(status.getExecuted()).isTrue();
  }
}
