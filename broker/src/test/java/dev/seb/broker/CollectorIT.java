package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.broker.identity.IdentityMinter;
import dev.seb.contracts.SebKeys;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/** Execution identities left behind (by a broker that died mid-flight) are collected. */
@QuarkusTest
@DisabledIf(
    value = "dev.seb.testing.TestGround#unavailable",
    disabledReason = "no Docker engine for the testcontainers test ground")
class CollectorIT {

  @Inject KubernetesClient client;
  @Inject IdentityMinter minter;

  @Test
  void leftoverExecutionIdentities_areCollected() {
    BrokerTestGround.namespaces(client, "seb-system");
    var leftover =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName("seb-exec-leftover")
            .withLabels(Map.of(SebKeys.EXECUTION_IDENTITY, "true"))
            .endMetadata()
            .build();
    client.serviceAccounts().inNamespace("seb-system").resource(leftover).create();
    // a leftover is one older than any execution; the collector judges age by creationTimestamp
    int removed = minter.collectGarbage(Instant.now().plusSeconds(5));
    assertThat(removed).isEqualTo(1);
    assertThat(
            client.serviceAccounts().inNamespace("seb-system").withName("seb-exec-leftover").get())
        .isNull();
  }
}
