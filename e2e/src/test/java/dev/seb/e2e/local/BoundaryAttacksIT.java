package dev.seb.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.local.Endpoints;
import dev.seb.local.LocalStack;
import dev.seb.testing.TestGround;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attacks on seb's boundary, replayed on the local stack as a new user meets it: the agent
 * holds the stock {@code edit} role's rules in protected {@code shop}, an admin who is no
 * protection admin tries to lift the protection, and someone holding the broker's own token tries
 * to escalate with it. Each goes through the real kubectl, and each must be refused by seb.
 */
class BoundaryAttacksIT {

  private static final Path ROOT = TestGround.repoRoot();
  private static LocalStack stack;
  private static Endpoints endpoints;

  record Result(int exit, String output) {}

  @BeforeAll
  static void up() {
    stack = LocalStack.up(ROOT, ROOT.resolve("e2e/target/seb-attacks"), System.out);
    endpoints = stack.endpoints();
    // a pod for the agent to reach into, made by on-call through break-glass
    Result pod =
        kubectl(
            endpoints.adminKubeconfig(),
            "--as=oncall",
            "--as-group=seb:break-glass",
            "-n",
            "shop",
            "run",
            "web-0",
            "--image=registry.example/shop/web:1.4.2",
            "--restart=Never");
    assertThat(pod.exit()).as(pod.output()).isZero();
    Result account =
        kubectl(
            endpoints.adminKubeconfig(),
            "--as=oncall",
            "--as-group=seb:break-glass",
            "-n",
            "shop",
            "create",
            "serviceaccount",
            "worker");
    assertThat(account.exit()).as(account.output()).isZero();
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void anAgentWithTheStockEditRole_getsNothingPastSeb() throws IOException {
    Path rc = Files.createTempFile("seb-rc", ".yaml");
    Files.writeString(
        rc,
        """
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: miner, namespace: shop}
        spec:
          replicas: 1
          selector: {app: miner}
          template:
            metadata: {labels: {app: miner}}
            spec:
              containers:
              - name: miner
                image: registry.example/miner
                securityContext: {privileged: true}
              volumes:
              - name: host
                hostPath: {path: /}
        """);
    Path eviction = Files.createTempFile("seb-eviction", ".json");
    Files.writeString(
        eviction,
        "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"web-0\","
            + "\"namespace\":\"shop\"}}");
    Path empty = Files.createTempFile("seb-empty", ".json");
    Files.writeString(empty, "{}");
    List<String[]> attacks =
        List.of(
            new String[] {"apply", "-f", rc.toString()},
            new String[] {"-n", "shop", "exec", "web-0", "--", "id"},
            new String[] {
              "create",
              "--raw",
              "/api/v1/namespaces/shop/pods/web-0/attach?stdout=true",
              "-f",
              empty.toString()
            },
            new String[] {
              "create",
              "--raw",
              "/api/v1/namespaces/shop/pods/web-0/portforward?ports=80",
              "-f",
              empty.toString()
            },
            new String[] {"get", "--raw", "/api/v1/namespaces/shop/pods/web-0/proxy/"},
            new String[] {
              "-n", "shop", "create", "token", "worker", "--audience=sts.amazonaws.com"
            },
            new String[] {
              "create",
              "--raw",
              "/api/v1/namespaces/shop/pods/web-0/eviction",
              "-f",
              eviction.toString()
            },
            // (stock edit cannot patch pods/ephemeralcontainers; BoundaryParityIT covers it)
            // (nor any status subresource: BoundaryParityIT covers those with broader RBAC)
            new String[] {"-n", "shop", "create", "configmap", "loot", "--from-literal=a=b"},
            new String[] {"-n", "shop", "delete", "pod", "web-0"});
    for (String[] attack : attacks) {
      Result result = kubectl(endpoints.agentKubeconfig(), attack);
      assertThat(result.exit()).as(String.join(" ", attack) + ": " + result.output()).isNotZero();
      // refused by the webhook or the policy, whichever the API server asks first
      assertThat(result.output())
          .as(String.join(" ", attack))
          .containsPattern("protected by seb|in protected namespace shop")
          .contains("system:serviceaccount:agents:planner");
    }
  }

  @Test
  void anAdminWhoIsNoProtectionAdmin_cannotLiftTheProtection() {
    Result unlabel =
        kubectl(endpoints.adminKubeconfig(), "label", "namespace", "shop", "seb.dev/protected-");
    assertThat(unlabel.exit()).as(unlabel.output()).isNotZero();
    assertThat(unlabel.output()).contains("only the protection-admin groups");
    assertThat(unlabel.output()).doesNotContain("labeled");
    Result delete =
        kubectl(endpoints.adminKubeconfig(), "delete", "namespace", "shop", "--dry-run=server");
    assertThat(delete.exit()).as(delete.output()).isNotZero();
    assertThat(delete.output())
        .containsPattern(
            "may not delete protected namespace shop|only the protection-admin groups");
  }

  @Test
  void aProtectionAdmin_liftsTheProtection_andLeavesASignedUnprotectRecord() {
    Path admin = endpoints.adminKubeconfig();
    assertThat(kubectl(admin, "create", "namespace", "scratch").exit()).isZero();
    assertThat(kubectl(admin, "label", "namespace", "scratch", "seb.dev/protected=true").exit())
        .isZero();
    Result lifted =
        kubectl(
            admin,
            "--as=pat",
            "--as-group=system:masters",
            "--as-group=seb:protection-admins",
            "label",
            "namespace",
            "scratch",
            "seb.dev/protected-");
    assertThat(lifted.exit()).as(lifted.output()).isZero();
    assertThat(lifted.output()).contains("no longer protected by seb");
    Result records =
        kubectl(
            admin,
            "-n",
            "seb-system",
            "get",
            "executionrecords",
            "-o",
            "jsonpath={range .items[*]}{.spec.kind}{' '}{end}");
    assertThat(records.output()).contains("unprotect");
  }

  @Test
  void aPrincipal_cannotUndoTheRevocationAnAdminSet() throws IOException {
    Path admin = endpoints.adminKubeconfig();
    Path mandate = Files.createTempFile("seb-mandate", ".yaml");
    Files.writeString(
        mandate,
        """
        apiVersion: seb.dev/v1alpha1
        kind: Mandate
        metadata: {name: attacked, namespace: shop}
        spec:
          principal: {subject: alice}
          agent: {serviceAccount: agents/planner}
          scope: [{contractRef: scale-web}]
          lifecycle: {notAfter: "2099-01-01T00:00:00Z"}
        """);
    assertThat(kubectl(admin, "apply", "-f", mandate.toString()).exit()).isZero();
    Result revoked =
        kubectl(
            admin,
            "-n",
            "shop",
            "patch",
            "mandate",
            "attacked",
            "--type=merge",
            "-p",
            "{\"spec\":{\"revocation\":{\"requestedBy\":\"security\",\"reason\":\"incident\"}}}");
    assertThat(revoked.exit()).as(revoked.output()).isZero();
    Result undone =
        kubectl(
            admin,
            "--as=alice",
            "-n",
            "shop",
            "patch",
            "mandate",
            "attacked",
            "--type=json",
            "-p",
            "[{\"op\":\"remove\",\"path\":\"/spec/revocation\"}]");
    assertThat(undone.exit()).as(undone.output()).isNotZero();
    assertThat(undone.output()).contains("revocation");
  }

  @Test
  void theBrokersOwnToken_cannotEscalate() throws IOException {
    Path broker = endpoints.runDir().resolve("seb-broker.kubeconfig");
    Path wildcard = Files.createTempFile("seb-wildcard", ".yaml");
    Files.writeString(
        wildcard,
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: seb-exec-everything, namespace: shop}
        rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: seb-exec-everything, namespace: kube-system}
        rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: seb-exec-everything}
        rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
        """);
    Result roles = kubectl(broker, "create", "-f", wildcard.toString());
    assertThat(roles.exit()).as(roles.output()).isNotZero();
    assertThat(roles.output())
        .doesNotContain("created")
        .contains("seb-exec-everything")
        .contains("the broker's own identity");
    Result token = kubectl(broker, "-n", "seb-system", "create", "token", "seb-operator");
    assertThat(token.exit()).as(token.output()).isNotZero();
    assertThat(token.output()).contains("the broker's own identity");
  }

  @Test
  void theWebhookIsReadyOnlyWithEveryRegistrationAgreeing() throws Exception {
    String url = endpoints.health().get("admission-webhook");
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"seb-protected\"", "\"seb-guard\"", "agrees with this webhook's policy")
        .doesNotContain("not registered");
  }

  private static Result kubectl(Path kubeconfig, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                TestGround.kubernetesBinaries().resolve("kubectl").toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--request-timeout=20s"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + command);
      }
      return new Result(
          process.exitValue(),
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
