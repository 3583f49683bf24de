package dev.seb.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.cli.records.RecordsVerify;
import dev.seb.cli.records.RecordsVerifyCommand;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.local.Endpoints;
import dev.seb.testing.NodeExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three broker pods on a real node: a burst of proposals is decided exactly once each, and a {@code
 * helm upgrade} to a new image tag rolls every pod of seb while proposals keep coming, with none
 * lost and none executed twice. Each proposal ends (decided, its outcome recorded) and the chains
 * verify with exactly one decision and one outcome per proposal (or one denial), across all three
 * brokers' chains.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("node")
class BurstAndUpgradeIT {

  @RegisterExtension static final NodeExtension node = new NodeExtension();

  private static final int BURST = 30;
  private static final String NEXT_TAG = "0.1.0-next";

  private final List<String> proposed = new ArrayList<>();
  private DeployedSeb seb;
  private KubernetesClient admin;
  private Proposals proposals;
  private Endpoints endpoints;

  @BeforeAll
  void install() {
    admin = node.admin();
    // two webhook pods, as the chart's default: a rollout then never leaves the API server without
    // one (the agent's proposals pass through it)
    seb =
        DeployedSeb.install(
            node.node(), admin, Map.of("broker.replicas", "3", "webhook.replicas", "2"));
    endpoints = seb.authorizedWorld(DeployedSeb.runDir("burst-upgrade"));
    proposals = new Proposals(admin, endpoints.agentKubeconfig());
  }

  @AfterAll
  void close() {
    if (proposals != null) {
      proposals.close();
    }
  }

  @Test
  @Order(1)
  void aBurstOnThreeBrokers_isDecidedExactlyOnceEach() throws Exception {
    assertThat(seb.pods("broker")).hasSize(3);
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        String name = "burst-" + i;
        int replicas = 2 + i % 5;
        proposed.add(name);
        created.add(pool.submit(() -> proposals.create(name, replicas)));
      }
      for (Future<?> f : created) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdown();
    }
    for (String name : proposed) {
      proposals.awaitEnded(name, Duration.ofMinutes(5));
    }
    System.out.printf(
        "[burst] %d proposals on 3 brokers ended in %d s%n",
        BURST, Duration.ofNanos(System.nanoTime() - start).toSeconds());
    RecordsVerify.Report audit = verifiedExactlyOnce(proposed);
    // which broker decided what: the claims spread the burst over the replicas' chains
    Map<String, Long> perChain = new java.util.TreeMap<>();
    audit.rows().stream()
        .filter(r -> r.proposal().startsWith("shop/burst-") && r.kind().equals("decision"))
        .forEach(r -> perChain.merge(r.chain(), 1L, Long::sum));
    System.out.printf("[burst] decisions per broker chain: %s%n", perChain);
  }

  @Test
  @Order(2)
  void helmUpgradeToANewImageTag_whileProposalsFlow_losesNoneAndExecutesNoneTwice()
      throws Exception {
    for (String component : NodeExtension.COMPONENTS) {
      node.node()
          .tagImage(
              "docker.io/seb/" + component + ":" + seb.imageTag(),
              "docker.io/seb/" + component + ":" + NEXT_TAG);
    }
    // the agent proposes every two seconds while helm upgrades, and at least five times
    List<String> flowing = java.util.Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService agent = Executors.newSingleThreadScheduledExecutor();
    ScheduledFuture<?> flow =
        agent.scheduleWithFixedDelay(
            () -> {
              String name = "flow-" + flowing.size();
              proposals.create(name, 2 + flowing.size() % 5);
              flowing.add(name);
            },
            0,
            2,
            TimeUnit.SECONDS);
    try {
      seb.upgrade(Map.of("image.tag", NEXT_TAG));
      Awaitility.await("five proposals flowed")
          .atMost(Duration.ofMinutes(1))
          .until(() -> flowing.size() >= 5 || flow.isDone());
    } finally {
      flow.cancel(false);
      agent.shutdown();
      agent.awaitTermination(1, TimeUnit.MINUTES);
    }
    if (!flow.isCancelled()) {
      flow.get(); // a create that failed stopped the flow: its exception fails the test here
    }
    for (String component : NodeExtension.COMPONENTS) {
      assertThat(seb.pods(component))
          .allSatisfy(
              pod ->
                  assertThat(pod.getSpec().getContainers().get(0).getImage())
                      .isEqualTo("seb/" + component + ":" + NEXT_TAG));
    }
    for (String name : flowing) {
      proposals.awaitEnded(name, Duration.ofMinutes(5));
    }
    System.out.printf("[upgrade] %d proposals flowed through helm upgrade%n", flowing.size());
    List<String> all = new ArrayList<>(proposed);
    all.addAll(flowing);
    verifiedExactlyOnce(all);
  }

  /**
   * Every chain verifies, and each proposal has exactly one decision and one outcome record whose
   * executed matches its status, or exactly one denial.
   */
  private RecordsVerify.Report verifiedExactlyOnce(List<String> names) {
    RecordsVerify.Report audit =
        RecordsVerifyCommand.fetchAndVerify(
            endpoints.auditorKubeconfig(), seb.brokerUrl() + "/.well-known/jwks.json");
    assertThat(audit.verified()).as(RecordsVerify.table(audit)).isTrue();
    Set<String> executed = new TreeSet<>();
    for (String name : names) {
      MutationProposal p = proposals.get(name);
      assertThat(Proposals.ended(p.getStatus())).as(name + " ended").isTrue();
      List<String> rows =
          audit.rows().stream()
              .filter(r -> r.proposal().equals("shop/" + name))
              .map(r -> r.kind() + " " + r.executed())
              .toList();
      if (p.getStatus().getExecuted()) {
        executed.add(name);
        assertThat(rows).as(name).containsExactly("decision false", "outcome true");
      } else {
        assertThat(List.of(List.of("denial false"), List.of("decision false", "outcome false")))
            .as(name + ": one denial, or a decision and an outcome that did not execute")
            .contains(rows);
      }
    }
    Map<String, Long> reasons = new java.util.TreeMap<>();
    for (String name : names) {
      var status = proposals.get(name).getStatus();
      String why =
          status.getReasons() == null || status.getReasons().isEmpty()
              ? "-"
              : String.valueOf(status.getReasons().get(0).code());
      reasons.merge(
          status.getDecision() + " executed=" + status.getExecuted() + " " + why, 1L, Long::sum);
    }
    System.out.printf(
        "[exactly-once] %d of %d executed; endings: %s%n", executed.size(), names.size(), reasons);
    return audit;
  }
}
