package dev.seb.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import dev.seb.cli.Seb;
import dev.seb.cli.records.RecordsVerifyCommand;
import dev.seb.contracts.v1alpha1.ExecutionRecord;
import dev.seb.contracts.v1alpha1.ExecutionRecordSpec;
import dev.seb.e2e.GuidedScenario;
import dev.seb.local.Endpoints;
import dev.seb.local.LocalStack;
import dev.seb.local.Scenario;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What {@code ./seb-local up --scenario-only} does, with assertions: the same stack (operator,
 * broker and webhook as processes on the local control plane) and the same scenario code, then the
 * auditor command against an intact, a tampered and a gapped chain, then a clean stop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalScenarioIT {

  private static final Path ROOT = TestGround.repoRoot();
  private static final Path HOME = ROOT.resolve("e2e/target/seb-local");
  private static final ByteArrayOutputStream TRANSCRIPT = new ByteArrayOutputStream();
  private static final PrintStream OUT =
      new PrintStream(new Tee(System.out, TRANSCRIPT), true, StandardCharsets.UTF_8);

  private static LocalStack stack;
  private static Endpoints endpoints;

  @BeforeAll
  static void up() {
    stack = LocalStack.up(ROOT, HOME, OUT);
    endpoints = stack.endpoints();
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void theSevenStepsBehaveAsDescribed() {
    Scenario.Outcome outcome = Scenario.run(endpoints, ROOT, OUT);

    GuidedScenario.assertPassed(outcome);
    // the broker runs in production mode: JSON log lines carrying the proposal as fields
    assertThat(endpoints.runDir().resolve("broker.log"))
        .content()
        .containsPattern(
            "\"message\":\"proposal shop/scale-to-4: ADMIT[^\n]*\"mdc\":\\{[^}]*"
                + "\"proposal\":\"shop/scale-to-4\"");
    assertThat(TRANSCRIPT.toString(StandardCharsets.UTF_8))
        .contains("step 7")
        .contains("the scenario's seven steps behaved as described");
  }

  @Test
  @Order(2)
  void theAuditorCommandVerifiesTheIntactChain() {
    Result result = verify();
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("6 records, signatures and links verified, no gaps")
        .contains("MANDATE_INACTIVE");
  }

  @Test
  @Order(3)
  void aTamperedRecordFailsAndIsNamed() {
    ExecutionRecord original = record(2);
    String[] parts = original.getSpec().jws().split("\\.");
    String payload = Base64URL.from(parts[1]).decodeToString();
    assertThat(payload).contains("\"executed\":false");
    String forged =
        parts[0]
            + "."
            + Base64URL.encode(payload.replace("\"executed\":false", "\"executed\":true"))
            + "."
            + parts[2];
    replace(original, forged);

    Result result = verify();
    assertThat(result.exit()).isEqualTo(RecordsVerifyCommand.BROKEN);
    assertThat(result.output())
        .contains("BROKEN")
        .contains("shop/" + original.getMetadata().getName())
        .contains("seq 2");

    // the original record restored: the chain verifies again
    replace(record(2), original.getSpec().jws());
    assertThat(verify().exit()).isZero();
  }

  @Test
  @Order(4)
  void aDeletedRecordFailsAndTheGapIsNamed() {
    ExecutionRecord removed = record(4);
    try (KubernetesClient retention = impersonating("retention-bot", "seb:record-retention")) {
      retention.resource(removed).delete();
    }
    Result result = verify();
    assertThat(result.exit()).isEqualTo(RecordsVerifyCommand.BROKEN);
    assertThat(result.output())
        .contains("record seq 4 is missing")
        .contains("after " + name(record(3)))
        .contains(name(record(5)));
  }

  @Test
  @Order(5)
  void theAuditorCommandRejectsBadInputByName() throws Exception {
    Path notKeys = Files.writeString(HOME.resolve("not-a-jwks.json"), "{\"keys\": 42}");
    Result result =
        run(
            "records",
            "verify",
            "--kubeconfig",
            endpoints.auditorKubeconfig().toString(),
            "--jwks",
            notKeys.toString());
    assertThat(result.exit()).isEqualTo(RecordsVerifyCommand.USAGE);
    assertThat(result.output()).contains("--jwks").contains("not a JWK set");
    assertThat(run("records", "verify").exit()).isEqualTo(RecordsVerifyCommand.USAGE);
  }

  @Test
  @Order(6)
  void everyComponentOutlivesTheScenarioAndStoppingLeavesNoProcessBehind() {
    stack.checkAlive(); // e.g. an operator that cannot renew its leader lease exits by itself
    Map<String, Long> pids = endpoints.pids();
    assertThat(pids.keySet()).contains("operator", "broker", "admission-webhook", "launcher");
    assertThat(pids).hasSizeGreaterThanOrEqualTo(6); // and kube-apiserver, etcd
    stack.close();
    stack = null;
    pids.forEach(
        (name, pid) -> {
          if (!name.equals("launcher")) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as(name + " (pid " + pid + ") stopped")
                .isFalse();
          }
        });
    assertThat(Endpoints.read(HOME)).isEmpty();
  }

  private record Result(int exit, String output) {}

  private static Result verify() {
    return run(
        "records",
        "verify",
        "--kubeconfig",
        endpoints.auditorKubeconfig().toString(),
        "--jwks",
        endpoints.brokerUrl() + "/.well-known/jwks.json");
  }

  private static Result run(String... args) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(new Tee(System.out, buffer), true, StandardCharsets.UTF_8);
    int exit = Seb.run(List.of(args), both, both);
    return new Result(exit, buffer.toString(StandardCharsets.UTF_8));
  }

  private static ExecutionRecord record(long seq) {
    try (KubernetesClient admin = admin()) {
      return admin.resources(ExecutionRecord.class).inAnyNamespace().list().getItems().stream()
          .filter(r -> r.getSpec().sequence() == seq)
          .findFirst()
          .orElseThrow();
    }
  }

  private static String name(ExecutionRecord record) {
    return record.getMetadata().getNamespace() + "/" + record.getMetadata().getName();
  }

  /**
   * Replaces a record as someone holding the retention role and the broker's credentials would:
   * delete, then create a copy carrying a different JWS under the same name.
   */
  private static void replace(ExecutionRecord original, String jws) {
    try (KubernetesClient retention = impersonating("retention-bot", "seb:record-retention");
        KubernetesClient broker = brokersOwn()) {
      retention.resource(original).delete();
      retention
          .resources(ExecutionRecord.class)
          .inNamespace("shop")
          .withName(original.getMetadata().getName())
          .waitUntilCondition(java.util.Objects::isNull, 30, java.util.concurrent.TimeUnit.SECONDS);
      ExecutionRecordSpec spec = original.getSpec();
      ExecutionRecord copy = new ExecutionRecord();
      copy.setMetadata(
          new ObjectMetaBuilder()
              .withName(original.getMetadata().getName())
              .withNamespace("shop")
              .withLabels(original.getMetadata().getLabels())
              .build());
      copy.setSpec(
          new ExecutionRecordSpec(
              spec.chain(),
              spec.sequence(),
              spec.kind(),
              spec.proposalRef(),
              spec.previousDigest(),
              spec.digest(),
              jws));
      broker.resource(copy).create();
    }
  }

  /**
   * A client with the broker's own token (impersonating the broker is refused: records are written
   * only with its ServiceAccount token).
   */
  private static KubernetesClient brokersOwn() {
    try {
      return new KubernetesClientBuilder()
          .withConfig(
              Config.fromKubeconfig(
                  Files.readString(endpoints.runDir().resolve("seb-broker.kubeconfig"))))
          .build();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static KubernetesClient admin() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  private static Config adminConfig() {
    try {
      return Config.fromKubeconfig(Files.readString(endpoints.adminKubeconfig()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static KubernetesClient impersonating(String user, String group) {
    ConfigBuilder config = new ConfigBuilder(adminConfig()).withImpersonateUsername(user);
    if (group != null) {
      config.withImpersonateGroups(group);
    }
    return new KubernetesClientBuilder().withConfig(config.build()).build();
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }
  }
}
