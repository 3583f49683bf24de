package dev.seb.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.cli.records.RecordsVerify;
import dev.seb.cli.records.RecordsVerifyCommand;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.local.Endpoints;
import dev.seb.testing.NodeExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker pod that holds a proposal's claim is killed at each step of the pipeline, on a real
 * node, with real processes: once by a SIGKILL of its container (the kubelet restarts it in the
 * same pod) and once by {@code kubectl delete pod --force} (the StatefulSet makes a new pod). The
 * broker is stopped at the exact step by its failpoint ({@code SEB_BROKER_FAILPOINT}, set with
 * {@code kubectl set env}; docs/decisions/0024-failpoints.md), which logs the line this test waits
 * for.
 *
 * <p>After each kill: the proposal ends with exactly the truth of what happened (executed when the
 * write happened, not executed when it did not), the Deployment was written at most once, no
 * execution identity is left, and at the end every chain verifies with one decision and one outcome
 * record per proposal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("node")
class BrokerKillIT {

  @RegisterExtension static final NodeExtension node = new NodeExtension();

  /** Where the failpoint holds; whether the write has happened by then. */
  enum Step {
    CLAIMED(true),
    DECIDED(false),
    MINTED(false),
    WRITTEN(true),
    REVOKED(true);

    /**
     * Whether the proposal ends executed: killed before its decision record, it is decided afresh
     * and executed by the recovering broker; killed after, it is recovered from the target, never
     * executed again, so it ends executed exactly when the killed broker's write happened.
     */
    final boolean executed;

    Step(boolean executed) {
      this.executed = executed;
    }

    String failpoint() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  enum Kill {
    SIGKILL,
    FORCE_DELETE
  }

  private final Map<String, Boolean> ended = new LinkedHashMap<>();
  private final List<String> table = new ArrayList<>();
  private DeployedSeb seb;
  private KubernetesClient admin;
  private Proposals proposals;
  private Endpoints endpoints;

  @BeforeAll
  void install() {
    admin = node.admin();
    seb = DeployedSeb.install(node.node(), admin, Map.of("broker.claimDuration", "PT10S"));
    endpoints = seb.authorizedWorld(DeployedSeb.runDir("broker-kill"));
    proposals = new Proposals(admin, endpoints.agentKubeconfig());
  }

  @AfterAll
  void report() {
    System.out.println("[broker-kill] step killed -> outcome");
    table.forEach(line -> System.out.println("[broker-kill] " + line));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Step.class)
  @Order(1)
  void killedAtAStep_theProposalEndsTrue_andIsExecutedAtMostOnce(Step step) {
    seb.setBrokerEnv("SEB_BROKER_FAILPOINT", step.failpoint());
    for (Kill kill : Kill.values()) {
      String name =
          "kill-"
              + step.failpoint()
              + "-"
              + kill.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      long start = System.nanoTime();
      Proposals.Target before = proposals.target();
      int replicas = before.replicas() == 3 ? 5 : 3;
      proposals.create(name, replicas);
      Pod holder = seb.awaitFailpoint(step.failpoint(), "shop/" + name);
      switch (kill) {
        case SIGKILL -> node.node().killContainer(DeployedSeb.containerId(holder));
        case FORCE_DELETE -> seb.forceDelete(holder);
      }
      seb.awaitKilled(holder, kill == Kill.SIGKILL);
      MutationProposal done = proposals.awaitEnded(name, Duration.ofMinutes(3));
      Proposals.Target after = proposals.target();
      String uid = done.getMetadata().getUid();

      assertThat(done.getStatus().getExecuted()).as(name + " executed").isEqualTo(step.executed);
      assertThat(after.generation() - before.generation())
          .as(name + ": writes to shop/web")
          .isEqualTo(step.executed ? 1 : 0);
      assertThat(after.replicas()).isEqualTo(step.executed ? replicas : before.replicas());
      assertThat(done.getStatus().getDecisionRecord()).as(name + " decision record").isNotBlank();
      assertThat(done.getStatus().getOutcomeRecord()).as(name + " outcome record").isNotBlank();
      // minted once at most: the recovering broker never mints (or writes) for a decided proposal
      assertThat(proposals.events(uid, "IdentityMinted"))
          .as(name + ": identities minted")
          .isLessThanOrEqualTo(1);
      Awaitility.await(name + ": no execution identity left")
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(() -> assertThat(seb.identitiesOf(uid)).isEmpty());
      seb.awaitRolledOut();
      ended.put(name, step.executed);
      table.add(
          String.format(
              "%-8s %-13s -> executed=%s, writes=%d, recovered in %d s",
              step.failpoint(),
              kill.name().toLowerCase(java.util.Locale.ROOT),
              done.getStatus().getExecuted(),
              after.generation() - before.generation(),
              Duration.ofNanos(System.nanoTime() - start).toSeconds()));
    }
  }

  /** Every chain verifies, with exactly one decision and one outcome record per killed proposal. */
  @Test
  @Order(2)
  void everyChainVerifies_withOneDecisionAndOneOutcomePerProposal() {
    seb.setBrokerEnv("SEB_BROKER_FAILPOINT", null);
    RecordsVerify.Report audit =
        RecordsVerifyCommand.fetchAndVerify(
            endpoints.auditorKubeconfig(), seb.brokerUrl() + "/.well-known/jwks.json");
    assertThat(audit.verified()).as(RecordsVerify.table(audit)).isTrue();
    assertThat(ended).hasSize(Step.values().length * Kill.values().length);
    for (var proposal : ended.entrySet()) {
      List<RecordsVerify.Row> rows =
          audit.rows().stream().filter(r -> r.proposal().contains(proposal.getKey())).toList();
      assertThat(rows)
          .as(proposal.getKey())
          .extracting(r -> r.kind() + " " + r.executed())
          .containsExactly("decision false", "outcome " + proposal.getValue());
    }
  }
}
