package dev.seb.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.e2e.GuidedScenario;
import dev.seb.local.Endpoints;
import dev.seb.local.Scenario;
import dev.seb.testing.NodeExtension;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * seb as pods on a real node: {@code helm install} from {@code charts/seb/} with the images the
 * build made, every pod Ready, the API server calling the webhook through its Service (kube-proxy,
 * no aggregator routing), and the guided scenario against it: the admitted scale executed (and the
 * workload's pods really go from two to four), out of scope denied, the agent's direct write
 * refused, drift denied, the revoked mandate denied, and the record chain verified by {@code seb
 * records verify} against the deployed broker.
 */
@Tag("node")
class DeployedScenarioIT {

  @RegisterExtension static final NodeExtension node = new NodeExtension();

  @Test
  void theGuidedScenarioPasses_againstSebRunningAsPods() {
    KubernetesClient admin = node.admin();
    DeployedSeb seb = DeployedSeb.install(node.node(), admin, Map.of());
    for (String component : NodeExtension.COMPONENTS) {
      assertThat(seb.pods(component))
          .as(component + "'s pods")
          .hasSize(1)
          .allSatisfy(pod -> assertThat(ready(pod)).as(pod.getMetadata().getName()).isTrue());
    }
    Endpoints endpoints = seb.world(DeployedSeb.runDir("scenario"));
    Scenario.Outcome outcome =
        Scenario.run(
            endpoints,
            TestGround.repoRoot(),
            new PrintStream(System.out, true, StandardCharsets.UTF_8));

    GuidedScenario.assertPassed(outcome);
    // the admitted scale ran as real pods: two before the scenario (seb.world waits for them),
    // four after it (the denials after the scale changed nothing; break-glass changed the image)
    assertThat(outcome.replicasAfterAdmit()).isEqualTo(4);
    Awaitility.await("shop/web's four pods Ready after the scenario")
        .atMost(Duration.ofMinutes(2))
        .until(() -> DeployedSeb.readyPods(admin, "shop", "web") == 4);
    // the API server calls the webhook through its Service (kube-proxy), as the chart registers it
    var registrations = admin.admissionRegistration().v1();
    assertThat(registrations.validatingWebhookConfigurations().list().getItems())
        .flatExtracting(r -> r.getWebhooks())
        .isNotEmpty()
        .allSatisfy(
            w -> {
              assertThat(w.getClientConfig().getUrl()).isNull();
              assertThat(w.getClientConfig().getService().getName())
                  .isEqualTo("seb-admission-webhook");
            });
    assertThat(seb.notRolledOut()).isEmpty();
    for (String component : NodeExtension.COMPONENTS) {
      assertThat(seb.pods(component))
          .allSatisfy(pod -> assertThat(restarts(pod)).as(pod.getMetadata().getName()).isZero());
    }
  }

  static boolean ready(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static int restarts(Pod pod) {
    return pod.getStatus().getContainerStatuses().stream().mapToInt(s -> s.getRestartCount()).sum();
  }
}
