package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * What the broker checked is what it writes over, or nothing: a change of the target inside the
 * check-to-write window, a target changed before the check, and a create of an object that exists
 * are drift, recorded and not executed; a contract recertified for another target is checked
 * against the new one.
 */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class DriftIT {

  private static Shop shop;

  @Inject KubernetesClient client;
  @Inject BrokerProbe probe;

  @BeforeEach
  void setUpOnce() throws Exception {
    if (shop == null) {
      shop = Shop.open(client, "exec-drift");
    }
  }

  @Test
  void changeInsideTheCheckToWriteWindow_isRefusedByTheConditionedWrite() {
    int before = shop.webReplicas();
    probe.beforeWrite(shop.ns, "race", new WindowRacer(client));
    MutationProposalStatus status = shop.propose("race", 3);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.DRIFT_DETECTED);
    assertThat(status.getExecuted()).isFalse();
    assertThat(status.getOutcomeRecord()).isNotNull();
    var deployment = client.apps().deployments().inNamespace(shop.ns).withName("web").get();
    assertThat(deployment.getMetadata().getAnnotations()).containsEntry("raced", "true");
    assertThat(deployment.getSpec().getReplicas())
        .as("the raced write did not happen")
        .isEqualTo(before);
  }

  @Test
  void imageChangedBehindSebsBack_isDrift() {
    int before = shop.webReplicas();
    shop.setImage("evil:latest");
    try {
      MutationProposalStatus status = shop.propose("scale-to-3", 3);
      assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.DRIFT_DETECTED);
      assertThat(status.getExecuted()).isFalse();
      assertThat(shop.webReplicas()).isEqualTo(before);
    } finally {
      shop.setImage(Shop.IMAGE); // the other tests of this class check against the certified one
    }
  }

  @Test
  void createOfAnObjectThatExists_isDrift_notExecuted() throws Exception {
    client
        .configMaps()
        .inNamespace(shop.ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("created")
                .endMetadata()
                .addToData("mode", "calm")
                .build())
        .create();
    MutationProposalStatus status =
        shop.propose(
            "create-again",
            "create-cm",
            Operations.create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "created"},
                 "data": {"mode": "calm"}}
                """));
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.DRIFT_DETECTED);
    assertThat(status.getExecuted()).isFalse();
    assertThat(client.configMaps().inNamespace(shop.ns).withName("created").get().getData())
        .containsEntry("mode", "calm");
  }

  /**
   * The broker reads the target a contract named last time alongside the contract; once the
   * contract names another object, that one is read and checked (here: the old one exists, so
   * checking it would be drift; the new one does not, so the create goes ahead).
   */
  @Test
  void aContractRecertifiedForAnotherTarget_isCheckedAgainstTheNewOne() throws Exception {
    // the broker decides about the contract once, reading the target it names
    MutationProposalStatus first =
        shop.propose(
            "recertify-first",
            "recertify-cm",
            Operations.create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "recertified"},
                 "data": {"mode": "calm"}}
                """));
    assertThat(first.getExecuted()).as(String.valueOf(first.getReasons())).isTrue();

    shop.certifyCreate("recertify-cm", shop.ns, "created-next", "next");
    assertThat(client.configMaps().inNamespace(shop.ns).withName("recertified").get()).isNotNull();

    MutationProposalStatus status =
        shop.propose(
            "create-next",
            "recertify-cm",
            Operations.create(
                """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "created-next"},
                 "data": {"mode": "next"}}
                """));
    assertThat(status.getDecision())
        .as(String.valueOf(status.getReasons()))
        .isEqualTo(MutationProposalStatus.Decision.ADMIT);
    assertThat(status.getExecuted()).isTrue();
    assertThat(client.configMaps().inNamespace(shop.ns).withName("created-next").get().getData())
        .containsEntry("mode", "next");
  }

  @Test
  void deleteOfATargetChangedInsideTheWindow_isRefused() {
    probe.beforeWrite(shop.ns, "race-delete", new WindowRacer(client));
    MutationProposalStatus status = shop.propose("race-delete", "delete-raced", Operations.DELETE);
    assertThat(status.getDecision()).isEqualTo(MutationProposalStatus.Decision.DENY);
    assertThat(status.getReasons().get(0).code()).isEqualTo(ReasonCode.DRIFT_DETECTED);
    assertThat(status.getExecuted()).isFalse();
    assertThat(
            client
                .configMaps()
                .inNamespace(shop.ns)
                .withName("raced-cm")
                .get()
                .getMetadata()
                .getAnnotations())
        .as("changed by the racer, and not deleted")
        .containsEntry("raced", "true");
  }
}
