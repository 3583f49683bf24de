package dev.seb.contracts.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.status.Conditions;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Reason;
import dev.seb.testing.ClusterExtension;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a person sees with the real kubectl: {@code kubectl explain} shows the descriptions of seb's
 * kinds, {@code kubectl wait --for=condition=Decided} returns once a proposal's status says it was
 * decided (and not before), and {@code kubectl describe} shows the condition's reason and message.
 */
class KubectlStatusIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  private static final String NS = "shop";
  private static final Duration PUBLISHED = Duration.ofSeconds(60);

  private static Kubectl kubectl;

  @BeforeAll
  static void installCrds() throws IOException {
    kube.cluster().installCrds(java.nio.file.Path.of("..", "crds"));
    kube.admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    kubectl = Kubectl.asAdmin(kube.cluster());
  }

  /** kubectl explain, with its line wrapping undone. */
  private static String explain(String path) throws Exception {
    return kubectl.run("explain", path).replaceAll("\\s+", " ");
  }

  @Test
  void kubectlExplain_showsWhatEachFieldMeans() {
    // the API server publishes the CRDs' OpenAPI asynchronously
    await()
        .atMost(PUBLISHED)
        .untilAsserted(
            () -> {
              assertThat(explain("mutationproposals.spec.operation"))
                  .contains(
                      "The one operation to perform on the contract's target",
                      "For scale: the desired replica count",
                      "scale, patch, create, delete or aws-call");
              assertThat(explain("mandates.spec.scope"))
                  .contains(
                      "What the agent may do: contracts, operations and narrower constraints",
                      "Name of an ExecutionContract in the same namespace",
                      "they can never widen it");
              assertThat(explain("executioncontracts.spec.target"))
                  .contains(
                      "The one object (Kubernetes) or resources (AWS) this contract lets seb"
                          + " mutate",
                      "A single Kubernetes object");
              assertThat(explain("trustanchors.spec"))
                  .contains(
                      "One Sovereign Assurance Boundary (SAB)",
                      "must carry it as 'iss'",
                      "PEM bundle of the SAB's root CA certificates");
              assertThat(explain("mandates.status.conditions"))
                  .contains("Ready", "ReconcileError", "never trusts", "True, False or Unknown");
            });
  }

  @Test
  void kubectlWait_forDecided_returnsOnceTheStatusSaysSo_andDescribeShowsWhy() throws Exception {
    KubernetesClient admin = kube.admin();
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(new ObjectMetaBuilder().withName("waited").withNamespace(NS).build());
    proposal.setSpec(
        new MutationProposalSpec(
            "planner",
            "scale-web",
            new MutationProposalSpec.Operation(
                OperationType.SCALE, 9, null, null, null, null, null),
            null,
            "checkout traffic"));
    admin.resource(proposal).create();

    Process wait =
        kubectl.start(
            "wait",
            "--for=condition=Decided",
            "mutationproposal/waited",
            "-n",
            NS,
            "--timeout=90s");
    // without a Decided condition it keeps waiting
    assertThat(wait.waitFor(3, TimeUnit.SECONDS))
        .as("kubectl wait returned before any decision: %s", outputIfDone(wait))
        .isFalse();

    String why = "spec.operation.replicas 9 is above the contract's maxReplicas 6";
    MutationProposal stored =
        admin.resources(MutationProposal.class).inNamespace(NS).withName("waited").get();
    MutationProposalStatus status = new MutationProposalStatus();
    status.setDecision(Decision.DENY);
    status.setReasons(List.of(new Reason(ReasonCode.SCOPE_VIOLATION, why)));
    status.setExecuted(false);
    Clock clock = Clock.systemUTC();
    Long generation = stored.getMetadata().getGeneration();
    status.setConditions(
        Conditions.set(
            Conditions.set(
                List.of(), "Decided", true, "SCOPE_VIOLATION", "DENY: " + why, generation, clock),
            "Executed",
            false,
            "SCOPE_VIOLATION",
            "denied, nothing was changed",
            generation,
            clock));
    stored.setStatus(status);
    admin.resource(stored).updateStatus();

    assertThat(wait.waitFor(30, TimeUnit.SECONDS)).as("kubectl wait returned").isTrue();
    String waited = Kubectl.output(wait);
    assertThat(wait.exitValue()).as(waited).isZero();
    assertThat(waited).contains("mutationproposal.seb.dev/waited condition met");

    String described = kubectl.run("describe", "smp", "waited", "-n", NS);
    assertThat(described)
        .contains("Decided", "Executed", "Reason:", "SCOPE_VIOLATION", why, "Decision:", "DENY");
  }

  @Test
  void kubectlGet_showsPhaseAndReadyReasonOfMandates() throws Exception {
    kube.admin()
        .resource(
            kube.admin()
                .getKubernetesSerialization()
                .unmarshal(
                    """
                    apiVersion: seb.dev/v1alpha1
                    kind: Mandate
                    metadata: {name: listed, namespace: shop}
                    spec:
                      principal: {subject: alice}
                      agent: {serviceAccount: agents/planner}
                      scope: [{contractRef: scale-web}]
                      lifecycle: {notAfter: "2030-01-01T00:00:00Z"}
                    """,
                    Mandate.class))
        .create();
    await()
        .atMost(PUBLISHED)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "smd", "-n", NS).lines().findFirst().orElseThrow())
                    .contains("AGENT", "PRINCIPAL", "PHASE", "REASON", "EXPIRES", "AGE"));
  }

  private static String outputIfDone(Process process) {
    try {
      return process.isAlive() ? "(still running)" : Kubectl.output(process);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
