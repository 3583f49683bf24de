package dev.seb.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.cli.records.RecordsVerify;
import dev.seb.cli.records.RecordsVerifyCommand;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import dev.seb.local.authority.LocalSab;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The guided scenario: an admin sets up a certified contract and a mandate, an agent is refused
 * when it writes directly and gets its change through seb, is denied outside its scope, after drift
 * and after revocation, and an auditor verifies every record. Each step checks what it shows and
 * fails with a clear message if seb did not behave as described.
 */
public final class Scenario {

  private static final String NS = LocalStack.SHOP;
  private static final String HOTFIX_IMAGE = "registry.example/shop/web:1.4.3-hotfix";
  private static final Duration DECIDED = Duration.ofSeconds(60);

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
  private final Path files;
  private final String suffix;

  private Scenario(Endpoints endpoints, Path root, PrintStream out, String suffix) {
    this.endpoints = endpoints;
    this.root = root;
    this.out = out;
    this.kubectl = new Kubectl(endpoints.kubectl(), root, out);
    this.suffix = suffix;
    this.files = endpoints.runDir().resolve("scenario" + suffix);
  }

  /** Runs the seven steps against a running local stack. */
  public static Outcome run(Endpoints endpoints, Path root, PrintStream out) {
    try (KubernetesClient admin = client(endpoints.adminKubeconfig())) {
      int earlier = admin.resources(Mandate.class).inNamespace(NS).list().getItems().size();
      Scenario scenario =
          new Scenario(endpoints, root, out, earlier == 0 ? "" : "-" + (earlier + 1));
      return scenario.steps(admin);
    }
  }

  private Outcome steps(KubernetesClient admin) {
    Path adminConfig = endpoints.adminKubeconfig();
    Path agent = endpoints.agentKubeconfig();
    if (!suffix.isEmpty()) {
      note("shop/web is reset from the previous run, by on-call with break-glass:");
      breakGlass("set", "image", "deployment/web", "web=" + LocalStack.IMAGE);
      breakGlass("scale", "deployment/web", "--replicas=2");
    }

    heading(
        1,
        "The admin trusts an assurance authority (TrustAnchor), applies a contract it certified"
            + " (\"scale shop/web between 2 and 6\") and grants the agent a Mandate.");
    writeAuthority();
    kubectl.run(adminConfig, "apply", "-f", files.toString());
    await(
        "contract scale-web" + suffix + " to be Certified by the operator",
        () ->
            admin
                .resources(ExecutionContract.class)
                .inNamespace(NS)
                .withName("scale-web" + suffix)
                .waitUntilCondition(
                    c ->
                        c != null
                            && c.getStatus() != null
                            && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream()
                                .anyMatch(
                                    x ->
                                        "Certified".equals(x.getType())
                                            && "True".equals(x.getStatus())),
                    DECIDED.toSeconds(),
                    TimeUnit.SECONDS));
    await(
        "mandate planner" + suffix + " to be Active",
        () ->
            admin
                .resources(Mandate.class)
                .inNamespace(NS)
                .withName("planner" + suffix)
                .waitUntilCondition(
                    phase(MandateStatus.Phase.Active), DECIDED.toSeconds(), TimeUnit.SECONDS));
    kubectl.run(adminConfig, "-n", NS, "get", "trustanchors,executioncontracts,mandates");

    heading(2, "The agent tries to scale shop/web itself, with kubectl. Admission refuses it.");
    Kubectl.Result direct = kubectl.run(agent, "-n", NS, "scale", "deployment/web", "--replicas=5");
    expect(2, direct.exit() != 0 && direct.output().contains("seb:"), "a refusal by seb", direct);
    expect(2, replicas(admin) == 2, "shop/web still at 2 replicas", replicas(admin));

    heading(3, "The agent proposes the change instead. seb admits it and executes it.");
    MutationProposalStatus admitted = propose(admin, "scale-to-4", 4, "checkout traffic is up 40%");
    expect(
        3,
        admitted.getDecision() == Decision.ADMIT && Boolean.TRUE.equals(admitted.getExecuted()),
        "ADMIT executed=true",
        admitted);
    int replicasAfter = replicas(admin);
    expect(3, replicasAfter == 4, "shop/web at 4 replicas", replicasAfter);
    kubectl.run(adminConfig, "-n", NS, "get", "deployment/web");
    kubectl.run(
        adminConfig,
        "-n",
        NS,
        "get",
        "executionrecords",
        "-l",
        SebKeys.PROPOSAL_UID + "=" + uid(admin, "scale-to-4"));

    heading(4, "A proposal outside the contract's scope (9 replicas) is denied.");
    MutationProposalStatus outOfScope = propose(admin, "scale-to-9", 9, "just in case");
    expectDenied(4, outOfScope, ReasonCode.SCOPE_VIOLATION);

    heading(
        5,
        "On-call changes the image behind seb's back (break-glass: allowed only once the broker"
            + " has signed a break-glass record of it). The next proposal is denied: the live state"
            + " no longer matches what the contract was certified for.");
    String breakGlass =
        breakGlass("set", "image", "deployment/web", "web=" + HOTFIX_IMAGE).output();
    MutationProposalStatus drifted = propose(admin, "scale-to-3", 3, "traffic is back to normal");
    expectDenied(5, drifted, ReasonCode.DRIFT_DETECTED);

    heading(6, "alice, the principal, revokes the mandate. The agent's next proposal is denied.");
    kubectl.run(
        adminConfig,
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
    await(
        "mandate planner" + suffix + " to be Revoked",
        () ->
            admin
                .resources(Mandate.class)
                .inNamespace(NS)
                .withName("planner" + suffix)
                .waitUntilCondition(
                    phase(MandateStatus.Phase.Revoked), DECIDED.toSeconds(), TimeUnit.SECONDS));
    kubectl.run(adminConfig, "-n", NS, "get", "mandate", "planner" + suffix);
    MutationProposalStatus afterRevocation = propose(admin, "scale-to-5", 5, "one more try");
    expectDenied(6, afterRevocation, ReasonCode.MANDATE_INACTIVE);

    heading(
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
    out.println();
    out.println("[seb-local] the scenario's seven steps behaved as described.");
    return new Outcome(
        direct.exit(),
        direct.output(),
        admitted,
        replicasAfter,
        outOfScope,
        breakGlass,
        drifted,
        afterRevocation,
        audit);
  }

  private void writeAuthority() {
    LocalSab sab = LocalSab.create("sab" + suffix + ".local.seb.dev", Clock.systemUTC());
    try {
      Files.createDirectories(files);
      Files.writeString(
          files.resolve("1-trustanchor.yaml"),
          """
          # the assurance authority's roots and its current signed epoch statement
          apiVersion: seb.dev/v1alpha1
          kind: TrustAnchor
          metadata:
            name: sab%s
          spec:
            sabId: %s
            rootCertificates: |
          %s
            epochStatement: %s
          """
              .formatted(
                  suffix,
                  sab.sabId(),
                  sab.rootsPem().strip().indent(4).stripTrailing(),
                  sab.epochStatement()));
      ObjectNode spec =
          (ObjectNode)
              CanonicalJson.mapper()
                  .readTree(
                      """
                      {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "namespace": "shop", "name": "web"}},
                       "operations": [{"type": "scale",
                                       "constraints": {"minReplicas": 2, "maxReplicas": 6}}],
                       "preconditions": [{"path": "/spec/template/spec/containers/0/image",
                                          "equals": "%s"}],
                       "reversibility": "reversible"}
                      """
                          .formatted(LocalStack.IMAGE));
      String certificate = sab.certify(spec, NS, "scale-web" + suffix);
      Files.writeString(
          files.resolve("2-executioncontract.yaml"),
          """
          # what may be done to shop/web, certified by the authority (spec.certificate)
          apiVersion: seb.dev/v1alpha1
          kind: ExecutionContract
          metadata:
            name: scale-web%s
            namespace: shop
          spec:
            target:
              kubernetes: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}
            operations:
              - type: scale
                constraints: {minReplicas: 2, maxReplicas: 6}
            preconditions:
              - path: /spec/template/spec/containers/0/image
                equals: %s
            reversibility: reversible
            certificate: %s
          """
              .formatted(suffix, LocalStack.IMAGE, certificate));
      Files.writeString(
          files.resolve("3-mandate.yaml"),
          """
          # alice lets the agent agents/planner scale shop/web under that contract, for 8 hours
          apiVersion: seb.dev/v1alpha1
          kind: Mandate
          metadata:
            name: planner%s
            namespace: shop
          spec:
            principal: {subject: alice}
            agent: {serviceAccount: agents/planner}
            scope:
              - contractRef: scale-web%s
                operations: [scale]
            lifecycle:
              notAfter: "%s"
          """
              .formatted(suffix, suffix, Instant.now().plus(Duration.ofHours(8))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the scenario's files to " + files, e);
    }
  }

  private MutationProposalStatus propose(
      KubernetesClient admin, String name, int replicas, String why) {
    Path file = files.resolve("proposal-" + name + ".yaml");
    try {
      Files.writeString(
          file,
          """
          apiVersion: seb.dev/v1alpha1
          kind: MutationProposal
          metadata:
            name: %s%s
            namespace: shop
          spec:
            mandateRef: planner%s
            contractRef: scale-web%s
            operation: {type: scale, replicas: %d}
            justification: %s
          """
              .formatted(name, suffix, suffix, suffix, replicas, why));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    kubectl.run(endpoints.agentKubeconfig(), "create", "-f", file.toString());
    MutationProposal decided =
        await(
            "the broker to decide " + name + suffix,
            () ->
                admin
                    .resources(MutationProposal.class)
                    .inNamespace(NS)
                    .withName(name + suffix)
                    .waitUntilCondition(
                        p ->
                            p != null
                                && p.getStatus() != null
                                && p.getStatus().getDecision() != null,
                        DECIDED.toSeconds(),
                        TimeUnit.SECONDS));
    kubectl.run(endpoints.agentKubeconfig(), "get", "mutationproposal", name + suffix);
    MutationProposalStatus status = decided.getStatus();
    out.println(
        "    broker: "
            + status.getDecision()
            + " executed="
            + status.getExecuted()
            + status.getReasons().stream()
                .map(r -> "\n      " + r.code() + ": " + r.message())
                .reduce("", String::concat)
            + "\n      submitted by (stamped by admission): "
            + status.getSubmittedBy());
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

  private String uid(KubernetesClient admin, String name) {
    return admin
        .resources(MutationProposal.class)
        .inNamespace(NS)
        .withName(name + suffix)
        .get()
        .getMetadata()
        .getUid();
  }

  private static int replicas(KubernetesClient admin) {
    Deployment web = admin.apps().deployments().inNamespace(NS).withName("web").get();
    return web.getSpec().getReplicas();
  }

  private static Predicate<Mandate> phase(MandateStatus.Phase phase) {
    return m -> m != null && m.getStatus() != null && m.getStatus().getPhase() == phase;
  }

  private static <T> T await(String what, java.util.function.Supplier<T> wait) {
    try {
      return wait.get();
    } catch (KubernetesClientTimeoutException e) {
      throw new LocalStackException("timed out waiting for " + what, e);
    }
  }

  private void expectDenied(int step, MutationProposalStatus status, ReasonCode reason) {
    expect(
        step,
        status.getDecision() == Decision.DENY
            && Boolean.FALSE.equals(status.getExecuted())
            && !status.getReasons().isEmpty()
            && status.getReasons().get(0).code() == reason,
        "DENY " + reason + " executed=false",
        status);
  }

  private static void expect(int step, boolean holds, String expected, Object actual) {
    if (!holds) {
      throw new LocalStackException(
          "scenario step " + step + ": expected " + expected + ", but got: " + actual);
    }
  }

  private void heading(int step, String text) {
    out.println();
    out.println("── step " + step + " " + "─".repeat(60));
    out.println(text);
  }

  private void note(String text) {
    out.println("[seb-local] " + text);
  }

  static KubernetesClient client(Path kubeconfig) {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
    }
  }
}
