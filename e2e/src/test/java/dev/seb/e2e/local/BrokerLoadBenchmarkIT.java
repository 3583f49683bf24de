package dev.seb.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.testkit.TestSab;
import dev.seb.contracts.v1alpha1.ExecutionContract;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus;
import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import dev.seb.contracts.v1alpha1.OperationType;
import dev.seb.contracts.v1alpha1.TrustAnchor;
import dev.seb.contracts.v1alpha1.TrustAnchorSpec;
import dev.seb.local.Endpoints;
import dev.seb.local.LocalStack;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The broker's end-to-end cost on the local stack (broker, operator and webhook as processes under
 * their own accounts): proposal created by the agent → outcome recorded, for a scale, against the
 * same scale done directly by a client in an unprotected namespace, interleaved in one run on the
 * same API server; then proposals per second for denials and for executions. Reports, never asserts
 * speed. Run with {@code -Dseb.excluded.groups= -Dgroups=benchmark}.
 */
@Tag("benchmark")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerLoadBenchmarkIT {

  private static final Path ROOT = TestGround.repoRoot();
  private static final String NS = "load";
  private static final String DIRECT = "load-direct";
  private static final int TARGETS = 8;

  /**
   * Sequential proposals before the latency is measured: a broker runs for days, and until its JIT
   * compiler is done with the pipeline's code, the compiler threads take as much CPU as the
   * pipeline itself (JFR), on the same two cores as everything else. The added p50 falls from about
   * 90 ms over the first 100 proposals to a steady level after about 1000.
   */
  private static final int WARMUP = Integer.getInteger("seb.bench.warmup", 1200);

  private static final int ROUNDS = Integer.getInteger("seb.bench.rounds", 300);
  private static final int DENIALS = Integer.getInteger("seb.bench.denials", 400);
  private static final int EXECUTIONS = Integer.getInteger("seb.bench.executions", 200);

  private static LocalStack stack;
  private static KubernetesClient admin;
  private static KubernetesClient agent;
  private static SharedIndexInformer<MutationProposal> informer;
  private static final Map<String, CompletableFuture<MutationProposal>> DECIDED =
      new ConcurrentHashMap<>();
  private static int sequence;

  @BeforeAll
  static void up() throws Exception {
    stack = LocalStack.up(ROOT, ROOT.resolve("e2e/target/seb-bench"), System.out);
    Endpoints endpoints = stack.endpoints();
    admin = client(endpoints.adminKubeconfig());
    agent = client(endpoints.agentKubeconfig());
    for (String ns : List.of(NS, DIRECT)) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    for (int i = 0; i < TARGETS; i++) {
      admin.resource(deployment(NS, "web-" + i)).create();
    }
    admin.resource(deployment(DIRECT, "web")).create();
    for (String cm : List.of(NS + "/settings", DIRECT + "/settings", DIRECT + "/settings-b")) {
      admin
          .configMaps()
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withNamespace(cm.split("/")[0])
                  .withName(cm.split("/")[1])
                  .endMetadata()
                  .addToData("round", "none")
                  .build())
          .create();
    }
    // the agent proposes in this namespace as it does in shop
    admin
        .load(
            new java.io.ByteArrayInputStream(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: seb-agent, namespace: load}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: seb-load-agent}
                subjects: [{kind: ServiceAccount, name: planner, namespace: agents}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: seb-load-agent}
                rules:
                  - apiGroups: ["seb.dev"]
                    resources: ["mutationproposals"]
                    verbs: ["create", "get", "list", "watch"]
                ---
                # an identity the webhook lets through, as it does the broker's minted ones
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: seb-exec-bench, namespace: seb-system}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: seb-exec-bench}
                rules:
                  - apiGroups: [""]
                    resources: ["configmaps"]
                    resourceNames: ["settings", "settings-b"]
                    verbs: ["get", "patch"]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: seb-exec-bench}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: seb-exec-bench}
                subjects:
                  - {kind: ServiceAccount, name: seb-exec-bench, namespace: seb-system}
                  - {kind: ServiceAccount, name: seb-bench-controller, namespace: kube-system}
                  - {kind: User, name: seb-bench-oncall}
                ---
                # a cluster controller's identity, which the webhook exempts
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: seb-bench-controller, namespace: kube-system}
                """
                    .getBytes()))
        .serverSideApply();

    // guarded from here on, like shop
    admin
        .namespaces()
        .withName(NS)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToLabels(SebKeys.PROTECTED, "true")
                    .endMetadata()
                    .build());
    TestSab sab = TestSab.create("sab.load.seb.dev", Clock.systemUTC());
    TrustAnchor anchor = new TrustAnchor();
    anchor.setMetadata(new ObjectMetaBuilder().withName("sab-load").build());
    anchor.setSpec(new TrustAnchorSpec(sab.sabId(), sab.rootsPem(), sab.epochStatement().sign()));
    admin.resource(anchor).create();
    StringBuilder scope = new StringBuilder();
    for (int i = 0; i < TARGETS; i++) {
      ObjectNode spec =
          (ObjectNode)
              CanonicalJson.mapper()
                  .readTree(
                      """
                      {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "namespace": "load", "name": "web-%d"}},
                       "operations": [{"type": "scale",
                                       "constraints": {"minReplicas": 1, "maxReplicas": 20}}],
                       "reversibility": "reversible"}
                      """
                          .formatted(i));
      spec.put("certificate", sab.certificate(spec, NS, "scale-web-" + i).sign());
      ExecutionContract contract = new ExecutionContract();
      contract.setMetadata(
          new ObjectMetaBuilder().withName("scale-web-" + i).withNamespace(NS).build());
      contract.setSpec(CanonicalJson.mapper().treeToValue(spec, ExecutionContractSpec.class));
      admin.resource(contract).create();
      scope.append(i == 0 ? "" : ",").append("{\"contractRef\": \"scale-web-" + i + "\"}");
    }
    Mandate mandate = new Mandate();
    mandate.setMetadata(new ObjectMetaBuilder().withName("planner").withNamespace(NS).build());
    mandate.setSpec(
        CanonicalJson.mapper()
            .readValue(
                """
                {"principal": {"subject": "alice"}, "agent": {"serviceAccount": "agents/planner"},
                 "scope": [%s], "lifecycle": {"notAfter": "%s"}}
                """
                    .formatted(scope, Instant.now().plusSeconds(4 * 3600)),
                MandateSpec.class));
    admin.resource(mandate).create();
    admin
        .resources(Mandate.class)
        .inNamespace(NS)
        .withName("planner")
        .waitUntilCondition(
            m ->
                m != null
                    && m.getStatus() != null
                    && m.getStatus().getPhase() == MandateStatus.Phase.Active,
            60,
            TimeUnit.SECONDS);
    informer =
        admin
            .resources(MutationProposal.class)
            .inNamespace(NS)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(MutationProposal p) {
                    seen(p);
                  }

                  @Override
                  public void onUpdate(MutationProposal old, MutationProposal p) {
                    seen(p);
                  }

                  @Override
                  public void onDelete(MutationProposal p, boolean unknown) {}
                });
  }

  @AfterAll
  static void down() {
    if (informer != null) {
      informer.close();
    }
    if (admin != null) {
      admin.close();
      agent.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  /**
   * The admission webhook's cost as deployed (its own process, TLS, the ValidatingAdmissionPolicy
   * too): the same ConfigMap patch by the same admitted identity in the protected namespace and in
   * an unprotected one, interleaved, plus a second unprotected object whose difference to the first
   * is the measurement's own noise. For an execution identity and a cluster controller's identity
   * (the API server's match conditions spare both the webhook call; the policy still applies), and
   * for a break-glass user, the one write the webhook is still called for and admits.
   */
  @Test
  @Order(0)
  void webhookAddedLatencyOfAProtectedWrite() {
    int rounds = Integer.getInteger("seb.bench.webhook-rounds", 2000);
    measureProtectedWrites(
        "an admitted seb-exec identity (matched out)",
        token("seb-system", "seb-exec-bench"),
        "exec",
        rounds);
    measureProtectedWrites(
        "a kube-system controller identity (matched out)",
        token("kube-system", "seb-bench-controller"),
        "controller",
        rounds);
    // impersonated by the admin in both namespaces alike: the only write the webhook is still
    // called for and admits (with a warning, an audit annotation and an Event)
    Config oncall = new ConfigBuilder(admin.getConfiguration()).build();
    oncall.setImpersonateUsername("seb-bench-oncall");
    oncall.setImpersonateGroups("seb:break-glass");
    measureProtectedWrites("a break-glass user (webhook called)", oncall, "break-glass", rounds);
    System.out.println("  as the API server measures it (mean): " + apiServerMeans(Map.of()));
  }

  /** A client configuration for the admin's API server with no credentials of its own. */
  private static Config credentialFree() {
    Config config = new ConfigBuilder(admin.getConfiguration()).build();
    config.setClientCertData(null);
    config.setClientKeyData(null);
    config.setClientCertFile(null);
    config.setClientKeyFile(null);
    return config;
  }

  /** A client configuration with a fresh token of the ServiceAccount. */
  private static Config token(String namespace, String account) {
    Config config = credentialFree();
    config.setOauthToken(
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(account)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken());
    return config;
  }

  private static void measureProtectedWrites(String who, Config config, String tag, int rounds) {
    long[] guarded = new long[rounds];
    long[] plain = new long[rounds];
    long[] plainB = new long[rounds];
    try (KubernetesClient writer = new KubernetesClientBuilder().withConfig(config).build()) {
      for (int i = -500; i < rounds; i++) { // negative rounds warm up
        String body = "{\"data\":{\"round\":\"" + tag + i + "\"}}";
        long t0 = System.nanoTime();
        patch(writer, NS, "settings", body);
        long t1 = System.nanoTime();
        patch(writer, DIRECT, "settings", body);
        long t2 = System.nanoTime();
        patch(writer, DIRECT, "settings-b", body);
        long t3 = System.nanoTime();
        if (i >= 0) {
          guarded[i] = t1 - t0;
          plain[i] = t2 - t1;
          plainB[i] = t3 - t2;
        }
      }
      assertThat(writer.configMaps().inNamespace(NS).withName("settings").get().getData())
          .containsEntry("round", tag + (rounds - 1));
    }
    Arrays.sort(guarded);
    Arrays.sort(plain);
    Arrays.sort(plainB);
    System.out.printf(
        "%nBENCH webhook (ConfigMap patch by %s, %d rounds interleaved, load %s):%n"
            + "  protected    p50 %.2f ms  p99 %.2f ms%n"
            + "  unprotected  p50 %.2f ms  p99 %.2f ms%n  added        p50 %.2f ms  p99 %.2f ms"
            + "   ratio p50 %.2fx%n  noise (second unprotected object - first): p50 %.2f ms"
            + "  p99 %.2f ms%n",
        who,
        rounds,
        loadAverage(),
        ms(guarded, 0.50),
        ms(guarded, 0.99),
        ms(plain, 0.50),
        ms(plain, 0.99),
        ms(guarded, 0.50) - ms(plain, 0.50),
        ms(guarded, 0.99) - ms(plain, 0.99),
        ms(guarded, 0.50) / ms(plain, 0.50),
        ms(plainB, 0.50) - ms(plain, 0.50),
        ms(plainB, 0.99) - ms(plain, 0.99));
  }

  private static void patch(KubernetesClient client, String ns, String name, String body) {
    client
        .configMaps()
        .inNamespace(ns)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), body);
  }

  private static String loadAverage() {
    try {
      return String.join(
          " ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
    } catch (IOException e) {
      return "n/a";
    }
  }

  @Test
  @Order(1)
  void latencyAgainstTheSameScaleDoneDirectly() {
    long[] all = new long[WARMUP + ROUNDS];
    long[] allDirect = new long[WARMUP + ROUNDS];
    int executed = 0;
    Map<String, double[]> stagesBefore = Map.of();
    Map<String, double[]> readsBefore = Map.of();
    Map<String, double[]> apiServerBefore = Map.of();
    for (int round = 0; round < WARMUP + ROUNDS; round++) {
      if (round == WARMUP) {
        stagesBefore = brokerSums("seb_broker_stage_seconds", "stage");
        readsBefore = brokerSums("seb_broker_read_seconds", "input");
        apiServerBefore = apiServerSums();
      }
      int replicas = 2 + Math.floorMod(round, 2);
      long start = System.nanoTime();
      MutationProposal decided = propose("web-0", 0, replicas).join();
      all[round] = System.nanoTime() - start;
      start = System.nanoTime();
      admin.apps().deployments().inNamespace(DIRECT).withName("web").scale(replicas);
      allDirect[round] = System.nanoTime() - start;
      if (round >= WARMUP && Boolean.TRUE.equals(decided.getStatus().getExecuted())) {
        executed++;
      }
    }
    // how the broker warms up: the added p50 of each 100 consecutive rounds, from the first on
    StringBuilder windows = new StringBuilder();
    for (int from = 0; from < all.length; from += 100) {
      long[] s = Arrays.copyOfRange(all, from, Math.min(all.length, from + 100));
      long[] d = Arrays.copyOfRange(allDirect, from, Math.min(all.length, from + 100));
      Arrays.sort(s);
      Arrays.sort(d);
      windows.append(String.format(" %.0f", ms(s, 0.50) - ms(d, 0.50)));
    }
    long[] seb = Arrays.copyOfRange(all, WARMUP, all.length);
    long[] direct = Arrays.copyOfRange(allDirect, WARMUP, all.length);
    Arrays.sort(seb);
    Arrays.sort(direct);
    System.out.printf(
        "%nBENCH broker latency (proposal created by the agent -> outcome recorded, scale, %d"
            + " rounds after %d unmeasured, interleaved with a direct scale in an unprotected"
            + " namespace, %d executed):"
            + "%n  seb    p50 %.2f ms  p99 %.2f ms%n  direct p50 %.2f ms  p99 %.2f ms%n"
            + "  added  p50 %.2f ms  p99 %.2f ms   ratio p50 %.1fx  p99 %.1fx%n",
        ROUNDS,
        WARMUP,
        executed,
        ms(seb, 0.50),
        ms(seb, 0.99),
        ms(direct, 0.50),
        ms(direct, 0.99),
        ms(seb, 0.50) - ms(direct, 0.50),
        ms(seb, 0.99) - ms(direct, 0.99),
        ms(seb, 0.50) / ms(direct, 0.50),
        ms(seb, 0.99) / ms(direct, 0.99));
    System.out.println(
        "  added p50 per 100 rounds from the first, warm-up included (ms):" + windows);
    System.out.println(
        "  broker stages (mean over the measured rounds): "
            + means("seb_broker_stage_seconds", "stage", stagesBefore));
    System.out.println(
        "  decision inputs, read at once (mean): "
            + means("seb_broker_read_seconds", "input", readsBefore));
    System.out.println(
        "  API server, mean per request and APF queue wait: " + apiServerMeans(apiServerBefore));
    assertThat(executed).as("every sequential proposal executed").isEqualTo(ROUNDS);
  }

  /**
   * The API server's own latency sums and counts per verb and resource, and its flow-control wait.
   */
  private static Map<String, double[]> apiServerSums() {
    return histogramSums(
        admin.raw("/metrics"),
        "apiserver_request_duration_seconds|apiserver_flowcontrol_request_wait_duration_seconds"
            + "|apiserver_admission_webhook_admission_duration_seconds"
            + "|apiserver_validating_admission_policy_check_duration_seconds",
        (histogram, labels) ->
            switch (histogram) {
              case "apiserver_request_duration_seconds" ->
                  List.of(
                              "mutationproposals",
                              "executionrecords",
                              "trustanchors",
                              "mandates",
                              "executioncontracts",
                              "serviceaccounts",
                              "roles",
                              "rolebindings",
                              "deployments")
                          .contains(labels.get("resource"))
                      ? labels.get("verb")
                          + " "
                          + labels.get("resource")
                          + sub(labels.get("subresource"))
                      : null;
              case "apiserver_flowcontrol_request_wait_duration_seconds" ->
                  "APF wait " + labels.get("priority_level");
              case "apiserver_admission_webhook_admission_duration_seconds" ->
                  "webhook " + labels.get("name") + " " + labels.get("operation");
              default -> "policy " + labels.get("policy");
            });
  }

  /** The API server's mean latency per verb and resource since {@code before}. */
  private static String apiServerMeans(Map<String, double[]> before) {
    StringBuilder out = new StringBuilder();
    since(apiServerSums(), before)
        .forEach(
            (name, sc) -> {
              if (sc[1] >= 50) {
                out.append(
                    String.format(
                        "%n    %-40s %6.1f ms (%d)", name, sc[0] / sc[1] * 1000, (long) sc[1]));
              }
            });
    return out.toString();
  }

  /** Sums and counts of {@code now} minus those of {@code before}. */
  private static Map<String, double[]> since(
      Map<String, double[]> now, Map<String, double[]> before) {
    Map<String, double[]> delta = new java.util.TreeMap<>();
    now.forEach(
        (name, sc) -> {
          double[] was = before.getOrDefault(name, new double[2]);
          if (sc[1] > was[1]) {
            delta.put(name, new double[] {sc[0] - was[0], sc[1] - was[1]});
          }
        });
    return delta;
  }

  /**
   * Sum and count per key of the Prometheus histograms whose names match {@code histograms}; the
   * key is given by the histogram's name and labels, and a null key leaves the series out.
   */
  private static Map<String, double[]> histogramSums(
      String metrics,
      String histograms,
      java.util.function.BiFunction<String, Map<String, String>, String> key) {
    Map<String, double[]> sums = new java.util.TreeMap<>();
    var line =
        java.util.regex.Pattern.compile("(" + histograms + ")_(sum|count)\\{(.*)\\} ([0-9.eE+-]+)");
    var label = java.util.regex.Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
    for (String l : metrics.split("\n")) {
      var m = line.matcher(l);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new java.util.HashMap<>();
      var found = label.matcher(m.group(3));
      while (found.find()) {
        labels.put(found.group(1), found.group(2));
      }
      String name = key.apply(m.group(1), labels);
      if (name != null) {
        double[] sc = sums.computeIfAbsent(name, k -> new double[2]);
        sc[m.group(2).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(4));
      }
    }
    return sums;
  }

  private static String sub(String subresource) {
    return subresource == null || subresource.isEmpty() ? "" : "/" + subresource;
  }

  /** Sums and counts per value of a histogram's tag, from the broker's Prometheus metrics. */
  private static Map<String, double[]> brokerSums(String histogram, String tag) {
    String metrics;
    try {
      metrics =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(stack.endpoints().brokerUrl() + "/q/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("the broker's metrics are unavailable", e);
    }
    return histogramSums(metrics, histogram, (name, labels) -> labels.get(tag));
  }

  /** Mean milliseconds per value of a broker histogram's tag since {@code before}. */
  private static String means(String histogram, String tag, Map<String, double[]> before) {
    StringBuilder out = new StringBuilder();
    since(brokerSums(histogram, tag), before)
        .forEach(
            (name, sc) ->
                out.append(
                    String.format("%s %.1f ms (%d)  ", name, sc[0] / sc[1] * 1000, (long) sc[1])));
    return out.toString();
  }

  @Test
  @Order(2)
  void denialsPerSecond() {
    // out of the contract's range: denied SCOPE_VIOLATION after the full check
    Rate rate = burst(DENIALS, i -> propose("web-" + (i % TARGETS), i % TARGETS, 99));
    System.out.printf(
        "BENCH denials: %d proposals submitted by 8 threads, decided in %.2f s: %.0f/s (%d denied)%n",
        DENIALS, rate.seconds(), DENIALS / rate.seconds(), rate.denied());
    assertThat(rate.denied()).isEqualTo(DENIALS);
  }

  @Test
  @Order(3)
  void executionsPerSecond() {
    Rate rate =
        burst(
            EXECUTIONS, i -> propose("web-" + (i % TARGETS), i % TARGETS, 4 + (i / TARGETS) % 10));
    System.out.printf(
        "BENCH executions: %d proposals over %d targets submitted by 8 threads, decided in %.2f s:"
            + " %.0f executed/s (%d executed, %d denied, e.g. DRIFT_DETECTED on a busy target)%n",
        EXECUTIONS,
        TARGETS,
        rate.seconds(),
        rate.executed() / rate.seconds(),
        rate.executed(),
        rate.denied());
    assertThat(rate.executed()).isPositive();
  }

  private record Rate(double seconds, int executed, int denied) {}

  private static Rate burst(
      int count, java.util.function.IntFunction<CompletableFuture<MutationProposal>> submit) {
    ExecutorService submitters = Executors.newFixedThreadPool(8);
    // the same burst once unmeasured first: the paths a burst takes (other contracts and targets,
    // concurrency) are new to the JIT compiler, whose threads then take much of the CPU (JFR)
    submitAll(count, submit, submitters);
    Map<String, Duration> cpuBefore = cpu();
    Map<String, double[]> apiServerBefore = apiServerSums();
    long start = System.nanoTime();
    List<MutationProposal> decided = submitAll(count, submit, submitters);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Duration> cpuAfter = cpu();
    StringBuilder perProposal = new StringBuilder("  CPU per proposal:");
    cpuAfter.forEach(
        (name, used) ->
            perProposal.append(
                String.format(
                    " %s %.1f ms",
                    name,
                    used.minus(cpuBefore.getOrDefault(name, Duration.ZERO)).toNanos()
                        / 1e6
                        / count)));
    System.out.println(
        perProposal
            + String.format(
                "  (machine: %d cores, %.0f ms CPU available per proposal)",
                Runtime.getRuntime().availableProcessors(),
                seconds * 1000 * Runtime.getRuntime().availableProcessors() / count));
    StringBuilder requests = new StringBuilder("  API requests per proposal:");
    since(apiServerSums(), apiServerBefore)
        .forEach(
            (name, sc) -> {
              if (!name.startsWith("APF") && sc[1] >= count / 10.0) {
                requests.append(
                    String.format(" %s %.2f (%.1f ms)", name, sc[1] / count, sc[0] / sc[1] * 1000));
              }
            });
    System.out.println(requests);
    submitters.shutdown();
    int executed =
        (int)
            decided.stream().filter(p -> Boolean.TRUE.equals(p.getStatus().getExecuted())).count();
    return new Rate(seconds, executed, decided.size() - executed);
  }

  /** Submits {@code count} proposals from the submitters' threads; returns them once decided. */
  private static List<MutationProposal> submitAll(
      int count,
      java.util.function.IntFunction<CompletableFuture<MutationProposal>> submit,
      ExecutorService submitters) {
    List<CompletableFuture<CompletableFuture<MutationProposal>>> submitted = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      submitted.add(CompletableFuture.supplyAsync(() -> submit.apply(n), submitters));
    }
    return submitted.stream().map(CompletableFuture::join).map(CompletableFuture::join).toList();
  }

  /** CPU time used so far by each process of the stack (this JVM is the launcher and client). */
  private static Map<String, Duration> cpu() {
    Map<String, Duration> used = new java.util.TreeMap<>();
    stack
        .endpoints()
        .pids()
        .forEach(
            (name, pid) ->
                ProcessHandle.of(pid)
                    .flatMap(p -> p.info().totalCpuDuration())
                    .ifPresent(d -> used.put(name, d)));
    return used;
  }

  private static CompletableFuture<MutationProposal> propose(
      String target, int contract, int replicas) {
    String name;
    synchronized (BrokerLoadBenchmarkIT.class) {
      name = "p-" + sequence++;
    }
    CompletableFuture<MutationProposal> decided = new CompletableFuture<>();
    DECIDED.put(name, decided);
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    proposal.setSpec(
        new MutationProposalSpec(
            "planner",
            "scale-web-" + contract,
            new MutationProposalSpec.Operation(
                OperationType.SCALE, replicas, null, null, null, null, null),
            null,
            "load " + name + " on " + target));
    agent.resource(proposal).create();
    return decided.orTimeout(120, TimeUnit.SECONDS);
  }

  private static void seen(MutationProposal p) {
    if (p.getStatus() != null && p.getStatus().getDecision() != null) {
      CompletableFuture<MutationProposal> waiting = DECIDED.get(p.getMetadata().getName());
      if (waiting != null) {
        waiting.complete(p);
      }
    }
  }

  private static double ms(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  private static io.fabric8.kubernetes.api.model.apps.Deployment deployment(
      String ns, String name) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("registry.example/shop/web:1.4.2")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static KubernetesClient client(Path kubeconfig) {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
