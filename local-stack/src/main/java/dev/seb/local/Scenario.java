package dev.seb.local;

import static dev.seb.local.ScenarioReport.expect;

import dev.seb.cli.records.RecordsVerify;
import dev.seb.cli.records.RecordsVerifyCommand;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The guided scenario: an admin sets up a certified contract and a mandate, an agent is refused
 * when it writes directly and gets its change through seb, is denied outside its scope, after drift
 * and after revocation, and an auditor verifies every record. Each step checks what it shows and
 * fails with a clear message if seb did not behave as described.
 */
public final class Scenario {

  private static final String NS = Shop.NAMESPACE;
  private static final String HOTFIX_IMAGE = "registry.example/shop/web:1.4.3-hotfix";

  /** What the scenario observed, step by step. */
  public record Outcome(
      int directScaleExit,
      String directScaleOutput,
      MutationProposalStatus admitted,
      int replicasAfterAdmit,
      MutationProposalStatus outOfScope,
      String breakGlassOutput,
      MutationProposalStatus drifted,
      MutationProposalStatus afterRevocation,
      RecordsVerify.Report audit) {}

  private final Endpoints endpoints;
  private final Path root;
  private final PrintStream out;
  private final Kubectl kubectl;
  private final ScenarioFiles files;
  private final ScenarioCluster cluster;
  private final ScenarioReport report;
  private final String suffix;
  private int replicasAfterAdmit;

  private Scenario(
      Endpoints endpoints, Path root, PrintStream out, KubernetesClient admin, String suffix) {
    this.endpoints = endpoints;
    this.root = root;
    this.out = out;
    this.kubectl = new Kubectl(endpoints.kubectl(), root, out);
    this.suffix = suffix;
    this.files = new ScenarioFiles(endpoints.runDir().resolve("scenario" + suffix), suffix);
    this.cluster = new ScenarioCluster(admin, suffix);
    this.report = new ScenarioReport(out);
  }

  /** Runs the seven steps against a running local stack. */
  public static Outcome run(Endpoints endpoints, Path root, PrintStream out) {
    try (KubernetesClient admin = ScenarioCluster.client(endpoints.adminKubeconfig())) {
      int earlier = ScenarioCluster.earlierRuns(admin);
      String suffix = earlier == 0 ? "" : "-" + (earlier + 1);
      return new Scenario(endpoints, root, out, admin, suffix).steps();
    }
  }

  /**
   * The scenario's first step alone, for a fresh cluster: the admin trusts a new local assurance
   * authority, applies the contract {@code shop/scale-web} it certified ("scale shop/web between 2
   * and 6") and grants {@code agents/planner} the Mandate {@code shop/planner}. Tests that propose
   * scales themselves start here.
   */
  public static void authorize(Endpoints endpoints, Path root, PrintStream out) {
    try (KubernetesClient admin = ScenarioCluster.client(endpoints.adminKubeconfig())) {
      new Scenario(endpoints, root, out, admin, "").setUpAuthorityContractAndMandate();
    }
  }

  private Outcome steps() {
    if (!suffix.isEmpty()) {
      report.note("shop/web is reset from the previous run, by on-call with break-glass:");
      breakGlass("set", "image", "deployment/web", "web=" + Shop.IMAGE);
      breakGlass("scale", "deployment/web", "--replicas=2");
    }
    setUpAuthorityContractAndMandate();
    Kubectl.Result direct = directWriteIsRefused();
    MutationProposalStatus admitted = proposalIsAdmitted();
    MutationProposalStatus outOfScope = outOfScopeIsDenied();
    report.heading(
        5,
        "On-call changes the image behind seb's back (break-glass: allowed only once the broker"
            + " has signed a break-glass record of it). The next proposal is denied: the live state"
            + " no longer matches what the contract was certified for.");
    String breakGlass =
        breakGlass("set", "image", "deployment/web", "web=" + HOTFIX_IMAGE).output();
    MutationProposalStatus drifted = propose("scale-to-3", 3, "traffic is back to normal");
    report.expectDenied(5, drifted, ReasonCode.DRIFT_DETECTED);
    MutationProposalStatus afterRevocation = revocationDeniesTheNext();
    RecordsVerify.Report audit = auditorVerifiesTheChain();
    out.println();
    out.println("[seb-local] the scenario's seven steps behaved as described.");
    return new Outcome(
        direct.exit(),
        direct.output(),
        admitted,
        replicasAfterAdmit,
        outOfScope,
        breakGlass,
        drifted,
        afterRevocation,
        audit);
  }

  private void setUpAuthorityContractAndMandate() {
    report.heading(
        1,
        "The admin trusts an assurance authority (TrustAnchor), applies a contract it certified"
            + " (\"scale shop/web between 2 and 6\") and grants the agent a Mandate.");
    files.writeAuthority();
    kubectl.run(endpoints.adminKubeconfig(), "apply", "-f", files.dir().toString());
    cluster.awaitCertified("scale-web");
    cluster.awaitMandate("planner", MandateStatus.Phase.Active);
    kubectl.run(
        endpoints.adminKubeconfig(), "-n", NS, "get", "trustanchors,executioncontracts,mandates");
  }

  private Kubectl.Result directWriteIsRefused() {
    report.heading(
        2, "The agent tries to scale shop/web itself, with kubectl. Admission refuses it.");
    Kubectl.Result direct =
        kubectl.run(
            endpoints.agentKubeconfig(), "-n", NS, "scale", "deployment/web", "--replicas=5");
    expect(2, direct.exit() != 0 && direct.output().contains("seb:"), "a refusal by seb", direct);
    expect(2, cluster.replicas() == 2, "shop/web still at 2 replicas", cluster.replicas());
    return direct;
  }

  private MutationProposalStatus proposalIsAdmitted() {
    report.heading(3, "The agent proposes the change instead. seb admits it and executes it.");
    MutationProposalStatus admitted = propose("scale-to-4", 4, "checkout traffic is up 40%");
    expect(
        3,
        admitted.getDecision() == Decision.ADMIT && Boolean.TRUE.equals(admitted.getExecuted()),
        "ADMIT executed=true",
        admitted);
    replicasAfterAdmit = cluster.replicas();
    expect(3, replicasAfterAdmit == 4, "shop/web at 4 replicas", replicasAfterAdmit);
    kubectl.run(endpoints.adminKubeconfig(), "-n", NS, "get", "deployment/web");
    kubectl.run(
        endpoints.adminKubeconfig(),
        "-n",
        NS,
        "get",
        "executionrecords",
        "-l",
        SebKeys.PROPOSAL_UID + "=" + cluster.uid("scale-to-4"));
    return admitted;
  }

  private MutationProposalStatus outOfScopeIsDenied() {
    report.heading(4, "A proposal outside the contract's scope (9 replicas) is denied.");
    MutationProposalStatus outOfScope = propose("scale-to-9", 9, "just in case");
    report.expectDenied(4, outOfScope, ReasonCode.SCOPE_VIOLATION);
    return outOfScope;
  }

  private MutationProposalStatus revocationDeniesTheNext() {
    report.heading(
        6, "alice, the principal, revokes the mandate. The agent's next proposal is denied.");
    kubectl.run(
        endpoints.adminKubeconfig(),
        "--as=alice",
        "-n",
        NS,
        "patch",
        "mandate",
        "planner" + suffix,
        "--type=merge",
        "-p",
        "{\"spec\":{\"revocation\":{\"requestedBy\":\"alice\",\"reason\":\"the agent's task is"
            + " done\"}}}");
    cluster.awaitMandate("planner", MandateStatus.Phase.Revoked);
    kubectl.run(endpoints.adminKubeconfig(), "-n", NS, "get", "mandate", "planner" + suffix);
    MutationProposalStatus afterRevocation = propose("scale-to-5", 5, "one more try");
    report.expectDenied(6, afterRevocation, ReasonCode.MANDATE_INACTIVE);
    return afterRevocation;
  }

  private RecordsVerify.Report auditorVerifiesTheChain() {
    report.heading(
        7,
        "The auditor verifies the whole record chain: signatures, links and gaps, every decision"
            + " including the denials (executed=false).");
    kubectl.run(endpoints.auditorKubeconfig(), "get", "executionrecords", "-A");
    out.println(
        "  $ KUBECONFIG="
            + root.relativize(endpoints.auditorKubeconfig())
            + " kubectl seb records verify --jwks "
            + endpoints.brokerUrl()
            + "/.well-known/jwks.json");
    RecordsVerify.Report audit =
        RecordsVerifyCommand.fetchAndVerify(
            endpoints.auditorKubeconfig(), endpoints.brokerUrl() + "/.well-known/jwks.json");
    out.println(RecordsVerify.table(audit).indent(4).stripTrailing());
    expect(7, audit.verified(), "every chain verified", RecordsVerify.table(audit));
    expect(
        7,
        audit.rows().stream().anyMatch(r -> !r.executed() && "denial".equals(r.kind())),
        "denials recorded with executed=false",
        audit.rows());
    expect(
        7,
        audit.rows().stream()
            .anyMatch(r -> "break-glass".equals(r.kind()) && r.proposal().startsWith("oncall ")),
        "on-call's break-glass change recorded in the chain",
        audit.rows());
    return audit;
  }

  private MutationProposalStatus propose(String name, int replicas, String why) {
    Path file = files.proposal(name, replicas, why);
    kubectl.run(endpoints.agentKubeconfig(), "create", "-f", file.toString());
    MutationProposalStatus status = cluster.awaitDecided(name).getStatus();
    kubectl.run(endpoints.agentKubeconfig(), "get", "mutationproposal", name + suffix);
    report.decision(status);
    return status;
  }

  private Kubectl.Result breakGlass(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--as=oncall";
    all[1] = "--as-group=seb:break-glass";
    all[2] = "-n";
    all[3] = NS;
    System.arraycopy(args, 0, all, 4, args.length);
    Kubectl.Result result = kubectl.run(endpoints.adminKubeconfig(), all);
    if (result.exit() != 0) {
      throw new LocalStackException("break-glass change failed: " + result.output());
    }
    return result;
  }
}
