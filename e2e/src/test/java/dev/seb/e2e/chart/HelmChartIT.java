package dev.seb.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.testing.ClusterExtension;
import dev.seb.testing.TestGround;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * seb's chart as the real helm (built from helm.sh/helm/v4 by tools/provision.sh) renders it, and
 * as the real API server validates every rendered object (a server-side dry run: nothing is
 * applied, so the registrations call no webhook).
 */
class HelmChartIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  private static final Path ROOT = TestGround.repoRoot();
  private static final Path HELM = ROOT.resolve(".seb/bin/helm");
  private static final Path CHART = ROOT.resolve("charts/seb");

  @TempDir static Path work;
  private static Path kubeconfig;

  @BeforeAll
  static void kubeconfig() throws IOException {
    assertThat(HELM).as("helm is built by tools/provision.sh").isExecutable();
    kubeconfig = work.resolve("admin.kubeconfig");
    Files.writeString(kubeconfig, kube.cluster().adminKubeconfig());
  }

  @Test
  void everyRenderedObject_isAcceptedByTheRealApiServer() throws Exception {
    Result rendered = template(cidr());
    assertThat(rendered.exit).as(rendered.output).isZero();
    assertThat(rendered.output)
        .contains("kind: NetworkPolicy")
        .contains("cidr: \"10.0.0.1/32\"")
        .contains("kind: \"ValidatingWebhookConfiguration\"")
        .contains("kind: \"ValidatingAdmissionPolicy\"");
    Path manifest = work.resolve("seb.yaml");
    Files.writeString(manifest, rendered.output);
    Result namespace =
        run(kubectl(), "--kubeconfig", kubeconfig.toString(), "create", "namespace", "seb-system");
    assertThat(namespace.exit).as(namespace.output).isZero();
    Result applied =
        run(
            kubectl(),
            "--kubeconfig",
            kubeconfig.toString(),
            "apply",
            "--server-side",
            "--dry-run=server",
            "-f",
            manifest.toString());
    assertThat(applied.exit).as(applied.output).isZero();
    assertThat(applied.output)
        .contains("networkpolicy.networking.k8s.io/seb-admission-webhook serverside-applied")
        .contains("validatingadmissionpolicy.admissionregistration.k8s.io/seb-broker-only");
  }

  @Test
  void aMissingApiServerCidr_failsTheRender_namingTheValue() throws Exception {
    Result rendered = template();
    assertThat(rendered.exit).isNotZero();
    assertThat(rendered.output).contains("networkPolicy.apiServerCIDRs");
  }

  private static String cidr() {
    return "networkPolicy.apiServerCIDRs[0]=10.0.0.1/32";
  }

  private static Result template(String... sets) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                HELM.toString(), "template", "seb", CHART.toString(), "--namespace", "seb-system"));
    for (String set : sets) {
      command.add("--set");
      command.add(set);
    }
    return run(command.toArray(String[]::new));
  }

  private static String kubectl() {
    return TestGround.kubeBinaries().kubectl().toString();
  }

  private record Result(int exit, String output) {}

  private static Result run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
