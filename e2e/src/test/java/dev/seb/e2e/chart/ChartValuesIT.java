package dev.seb.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.ground.HelmChart;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * seb's chart as the real helm lints and renders it with the values files a cluster admin would
 * write ({@code src/test/resources/chart-values/}): the important properties per file, not
 * snapshots. No API server: {@code lookup} sees nothing, as on a first install.
 */
class ChartValuesIT {

  static final Path VALUES = TestGround.repoRoot().resolve("e2e/src/test/resources/chart-values");
  static final String TLS_SECRET = "seb-admission-webhook-tls";

  static HelmChart chart(String valuesFile, String namespace) {
    return TestGround.chart().inNamespace(namespace).withValues(VALUES.resolve(valuesFile));
  }

  static Stream<Arguments> valuesFiles() {
    return Stream.of(
        Arguments.of("defaults.yaml", "seb-system"),
        Arguments.of("ha.yaml", "seb-system"),
        Arguments.of("cert-manager.yaml", "seb-system"),
        Arguments.of("self-managed-tls.yaml", "seb-system"),
        Arguments.of("custom-namespace.yaml", "guard"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valuesFiles")
  void helmLintStrict_passes(String file, String namespace) {
    HelmChart chart = chart(file, namespace);
    List<String> args = new ArrayList<>(List.of("lint", "--strict", chart.dir().toString()));
    args.addAll(chart.releaseArgs());
    HelmChart.Result lint = chart.helm(args);
    assertThat(lint.exit()).as(lint.output()).isZero();
    assertThat(lint.output()).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valuesFiles")
  void everyPod_runsRestricted_withProbesAndResources(String file, String namespace) {
    Manifest manifest = Manifest.parse(chart(file, namespace).render());
    Map<String, Manifest.Workload> workloads = manifest.workloads();
    assertThat(workloads).containsOnlyKeys(Manifest.APPLICATIONS);
    SoftAssertions soft = new SoftAssertions();
    workloads.forEach(
        (app, workload) -> {
          PodSpec pod = workload.template().getSpec();
          String at = workload.name();
          soft.assertThat(pod.getSecurityContext()).as(at + " pod securityContext").isNotNull();
          if (pod.getSecurityContext() != null) {
            soft.assertThat(pod.getSecurityContext().getRunAsNonRoot())
                .as(at + " runAsNonRoot")
                .isTrue();
            soft.assertThat(pod.getSecurityContext().getSeccompProfile().getType())
                .as(at + " seccomp")
                .isEqualTo("RuntimeDefault");
          }
          soft.assertThat(pod.getServiceAccountName()).as(at + " ServiceAccount").isEqualTo(app);
          List<Container> containers = new ArrayList<>(pod.getContainers());
          containers.addAll(pod.getInitContainers());
          for (Container c : containers) {
            String where = at + " container " + c.getName();
            var security = c.getSecurityContext();
            soft.assertThat(security).as(where + " securityContext").isNotNull();
            if (security == null) {
              continue;
            }
            soft.assertThat(security.getAllowPrivilegeEscalation())
                .as(where + " allowPrivilegeEscalation")
                .isFalse();
            soft.assertThat(security.getReadOnlyRootFilesystem())
                .as(where + " readOnlyRootFilesystem")
                .isTrue();
            soft.assertThat(security.getPrivileged()).as(where + " privileged").isNotEqualTo(true);
            soft.assertThat(security.getCapabilities().getDrop())
                .as(where + " capabilities.drop")
                .containsExactly("ALL");
            soft.assertThat(security.getCapabilities().getAdd())
                .as(where + " capabilities.add")
                .isNullOrEmpty();
          }
          for (Container c : pod.getContainers()) {
            String where = at + " container " + c.getName();
            soft.assertThat(healthPath(c.getReadinessProbe()))
                .as(where + " readinessProbe")
                .isEqualTo("/q/health/ready");
            soft.assertThat(healthPath(c.getLivenessProbe()))
                .as(where + " livenessProbe")
                .isEqualTo("/q/health/live");
            soft.assertThat(healthPath(c.getStartupProbe()))
                .as(where + " startupProbe")
                .startsWith("/q/health");
            soft.assertThat(c.getResources().getRequests())
                .as(where + " resource requests")
                .containsKeys("cpu", "memory");
            soft.assertThat(c.getResources().getLimits())
                .as(where + " resource limits")
                .containsKey("memory");
          }
        });
    soft.assertAll();
  }

  @Test
  void defaults_twoOfEach_eachReplicatedAppWithPdbAndTopologySpread() {
    Manifest manifest = Manifest.parse(chart("defaults.yaml", "seb-system").render());
    assertReplicasAndSpread(manifest, 2, 2, 2);
  }

  @Test
  void ha_threeBrokersAndThreeWebhooks_eachWithPdbAndTopologySpread() {
    Manifest manifest = Manifest.parse(chart("ha.yaml", "seb-system").render());
    assertReplicasAndSpread(manifest, 3, 3, 3);
    assertThat(manifest.find("NetworkPolicy", "seb-admission-webhook").orElseThrow())
        .asString()
        .contains("10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32");
  }

  @Test
  void selfManagedTls_theChartsSecret_isTheRegistrationsCa() {
    Manifest manifest = Manifest.parse(chart("self-managed-tls.yaml", "seb-system").render());
    Secret tls = (Secret) manifest.find("Secret", TLS_SECRET).orElseThrow();
    assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(tls.getData()).containsKeys("tls.crt", "tls.key", "ca.crt");
    assertThat(manifest.ofKind("Certificate")).isEmpty();
    assertThat(manifest.ofKind("Issuer")).isEmpty();
    for (WebhookClientConfig config : clientConfigs(manifest)) {
      assertService(config, "seb-system");
      assertThat(config.getCaBundle()).isEqualTo(tls.getData().get("ca.crt"));
    }
    for (HasMetadata registration : registrations(manifest)) {
      assertThat(registration.getMetadata().getAnnotations())
          .doesNotContainKey("cert-manager.io/inject-ca-from");
    }
    assertWebhookServes(manifest, TLS_SECRET);
  }

  @Test
  void certManager_aCertificateForTheService_andTheCaInjected() {
    Manifest manifest = Manifest.parse(chart("cert-manager.yaml", "seb-system").render());
    assertThat(manifest.find("Secret", TLS_SECRET)).as("no chart-made TLS Secret").isEmpty();
    var certificate = manifest.generic("Certificate", "seb-admission-webhook").orElseThrow();
    assertThat(certificate.getApiVersion()).startsWith("cert-manager.io/");
    assertThat(certificate.getMetadata().getNamespace()).isEqualTo("seb-system");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
    assertThat(spec.get("secretName")).isEqualTo(TLS_SECRET);
    assertThat(String.valueOf(spec.get("dnsNames")))
        .contains("seb-admission-webhook.seb-system.svc");
    assertThat(manifest.ofKind("Issuer")).as("the chart's self-signed CA issuer").isNotEmpty();
    for (HasMetadata registration : registrations(manifest)) {
      assertThat(registration.getMetadata().getAnnotations())
          .containsEntry("cert-manager.io/inject-ca-from", "seb-system/seb-admission-webhook");
    }
    for (WebhookClientConfig config : clientConfigs(manifest)) {
      assertService(config, "seb-system");
      assertThat(config.getCaBundle()).as("filled by cert-manager's cainjector").isNull();
    }
    assertWebhookServes(manifest, TLS_SECRET);
  }

  @Test
  void customNamespace_everyObjectInTheReleaseNamespace_andTheValuesApplied() {
    Manifest manifest = Manifest.parse(chart("custom-namespace.yaml", "guard").render());
    SoftAssertions soft = new SoftAssertions();
    for (HasMetadata object : manifest.objects()) {
      if (Manifest.CLUSTER_SCOPED.contains(object.getKind())) {
        continue;
      }
      String namespace = object.getMetadata().getNamespace();
      String what = object.getKind() + "/" + object.getMetadata().getName();
      if (what.equals("Role/seb-admission-webhook-events")
          || what.equals("RoleBinding/seb-admission-webhook-events")) {
        // Events about cluster-scoped objects live in "default": the webhook may create them there
        soft.assertThat(namespace).as(what).isEqualTo("default");
      } else {
        soft.assertThat(namespace).as(what + " namespace").isEqualTo("guard");
      }
    }
    soft.assertAll();
    assertThat(manifest.ofKind("Namespace"))
        .extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrder("shop", "payments");
    for (HasMetadata ns : manifest.ofKind("Namespace")) {
      assertThat(ns.getMetadata().getLabels()).containsEntry("seb.dev/protected", "true");
    }
    for (WebhookClientConfig config : clientConfigs(manifest)) {
      assertService(config, "guard");
    }
    String rendered = manifest.objects().toString();
    assertThat(rendered)
        .contains("system:serviceaccount:guard:seb-broker")
        .doesNotContain("system:serviceaccount:seb-system:")
        .contains("acme:oncall", "acme:platform", "acme:audit-retention", "acme:security")
        .doesNotContain("seb:break-glass", "seb:protection-admins");
    Secret tls = (Secret) manifest.find("Secret", TLS_SECRET).orElseThrow();
    assertThat(tls.getMetadata().getNamespace()).isEqualTo("guard");
    // the applications are configured with the same namespace and policy as the registrations
    Map<String, Manifest.Workload> workloads = manifest.workloads();
    assertThat(env(workloads.get("seb-operator"))).containsEntry("SEB_OPERATOR_NAMESPACE", "guard");
    assertThat(env(workloads.get("seb-broker")))
        .containsEntry("SEB_BROKER_NAMESPACE", "guard")
        .containsEntry(
            "SEB_BROKER_NOTICE_CALLER", "system:serviceaccount:guard:seb-admission-webhook");
    Map<String, String> webhook = env(workloads.get("seb-admission-webhook"));
    assertThat(webhook)
        .containsEntry("SEB_NOTICES_URL", "http://seb-broker.guard.svc")
        .containsEntry("SEB_ADMISSION_SEB_NAMESPACE", "guard");
    assertThat(webhook.get("SEB_ADMISSION_BREAK_GLASS_GROUPS")).isEqualTo("acme:oncall");
    assertThat(webhook.get("SEB_ADMISSION_PROTECTION_ADMIN_GROUPS")).isEqualTo("acme:security");
  }

  /** The plain environment values of a workload's first container. */
  private static Map<String, String> env(Manifest.Workload workload) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (var variable : workload.template().getSpec().getContainers().get(0).getEnv()) {
      if (variable.getValue() != null) {
        env.put(variable.getName(), variable.getValue());
      }
    }
    return env;
  }

  /** values.schema.json turns a bad values file into a failed render naming the value. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "misspelt-key.yaml=at '/broker': additional properties 'replica' not allowed",
        "wrong-type.yaml=/webhook/replicas': got string, want integer",
        "bad-url.yaml=/webhook/url': 'http://seb-webhook.example' does not match",
        "negative-replicas.yaml=/broker/replicas': minimum: got -1, want 1"
      })
  void aBadValuesFile_failsNamingTheValue(String fileAndMessage) {
    String file = fileAndMessage.substring(0, fileAndMessage.indexOf('='));
    String message = fileAndMessage.substring(fileAndMessage.indexOf('=') + 1);
    HelmChart chart = chart("bad/" + file, "seb-system");
    for (String command : List.of("template", "install")) {
      List<String> args = new ArrayList<>(List.of(command, "seb", chart.dir().toString()));
      args.addAll(chart.releaseArgs());
      if (command.equals("install")) {
        args.add("--dry-run=client");
      }
      HelmChart.Result result = chart.helm(args);
      assertThat(result.exit()).as(command + ": " + result.output()).isNotZero();
      assertThat(result.output())
          .as(command)
          .contains("values don't meet the specifications of the schema")
          .contains(message);
    }
  }

  /**
   * Well-formed values that would open the boundary fail the render (templates/values-checks.yaml),
   * naming the value: groups everyone belongs to, wildcard users, exemptions that hand out a shell,
   * protecting seb's own namespace, a webhook open to every address.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "everyone-admin.yaml=admission.adminGroups: \"system:authenticated\"",
        "wildcard-user.yaml=admission.exemptUsers: \"system:serviceaccount:*\"",
        "exec-exemption.yaml=admission.workloadExemptions: \"shop/web\" hands out /pods/exec",
        "protect-seb.yaml=protectedNamespaces: \"seb-system\" cannot be protected",
        "open-webhook.yaml=networkPolicy.apiServerCIDRs: \"0.0.0.0/0\""
      })
  void aValuesFileThatOpensTheBoundary_failsNamingTheValue(String fileAndMessage) {
    String file = fileAndMessage.substring(0, fileAndMessage.indexOf('='));
    String message = fileAndMessage.substring(fileAndMessage.indexOf('=') + 1);
    HelmChart chart = chart("dangerous/" + file, "seb-system");
    List<String> args = new ArrayList<>(List.of("template", "seb", chart.dir().toString()));
    args.addAll(chart.releaseArgs());
    HelmChart.Result result = chart.helm(args);
    assertThat(result.exit()).as(result.output()).isNotZero();
    assertThat(result.output()).contains("values-checks.yaml").contains(message);
  }

  private static void assertReplicasAndSpread(
      Manifest manifest, int operators, int brokers, int webhooks) {
    Map<String, Manifest.Workload> workloads = manifest.workloads();
    assertThat(workloads.get("seb-operator").replicas()).isEqualTo(operators);
    assertThat(workloads.get("seb-broker").replicas()).isEqualTo(brokers);
    assertThat(workloads.get("seb-admission-webhook").replicas()).isEqualTo(webhooks);
    List<PodDisruptionBudget> budgets =
        manifest.ofKind("PodDisruptionBudget").stream()
            .map(PodDisruptionBudget.class::cast)
            .toList();
    workloads.forEach(
        (app, workload) -> {
          assertThat(budgets)
              .as(app + "'s PodDisruptionBudget")
              .anySatisfy(
                  pdb ->
                      assertThat(pdb.getSpec().getSelector().getMatchLabels())
                          .containsEntry("app.kubernetes.io/name", app));
          assertThat(workload.template().getSpec().getTopologySpreadConstraints())
              .as(app + "'s topology spread")
              .isNotEmpty()
              .allSatisfy(
                  c ->
                      assertThat(c.getLabelSelector().getMatchLabels())
                          .containsEntry("app.kubernetes.io/name", app));
        });
  }

  /** The webhook's pods mount the serving certificate from {@code secret}. */
  private static void assertWebhookServes(Manifest manifest, String secret) {
    PodSpec pod = manifest.workloads().get("seb-admission-webhook").template().getSpec();
    assertThat(pod.getVolumes())
        .anySatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo(secret));
  }

  private static void assertService(WebhookClientConfig config, String namespace) {
    assertThat(config.getUrl()).isNull();
    assertThat(config.getService().getName()).isEqualTo("seb-admission-webhook");
    assertThat(config.getService().getNamespace()).isEqualTo(namespace);
    assertThat(config.getService().getPort()).isEqualTo(443);
  }

  private static String healthPath(Probe probe) {
    return probe == null || probe.getHttpGet() == null ? null : probe.getHttpGet().getPath();
  }

  static List<HasMetadata> registrations(Manifest manifest) {
    List<HasMetadata> all = new ArrayList<>(manifest.ofKind("ValidatingWebhookConfiguration"));
    all.addAll(manifest.ofKind("MutatingWebhookConfiguration"));
    assertThat(all).as("the webhook registrations").hasSize(4);
    return all;
  }

  static List<WebhookClientConfig> clientConfigs(Manifest manifest) {
    List<WebhookClientConfig> configs = new ArrayList<>();
    for (HasMetadata registration : registrations(manifest)) {
      if (registration instanceof ValidatingWebhookConfiguration v) {
        v.getWebhooks().forEach(w -> configs.add(w.getClientConfig()));
      } else if (registration instanceof MutatingWebhookConfiguration m) {
        m.getWebhooks().forEach(w -> configs.add(w.getClientConfig()));
      }
    }
    return configs;
  }
}
