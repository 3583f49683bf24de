package dev.seb.e2e.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.ground.HelmChart;
import dev.seb.testing.ClusterExtension;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Install on a cluster" command, as printed (only {@code helm} replaced by the helm that
 * provisioning builds, and the test cluster's kubeconfig added), installs seb on the real API
 * server with the images and the NetworkPolicy address it names; {@code helm uninstall} as README
 * prints it removes it again.
 */
class ReadmeInstallIT {

  @RegisterExtension static final ClusterExtension kube = new ClusterExtension();

  @TempDir Path work;

  @Test
  void readmesHelmInstall_installsSeb_andItsUninstallRemovesIt() throws Exception {
    String readme = Files.readString(TestGround.repoRoot().resolve("README.md"));
    List<String> install = command(readme, "helm install ");
    List<String> uninstall = command(readme, "helm uninstall ");
    Path kubeconfig = work.resolve("admin.kubeconfig");
    Files.writeString(kubeconfig, kube.cluster().adminKubeconfig());
    HelmChart chart = TestGround.chart();

    HelmChart.Result installed = chart.helm(withKubeconfig(install, kubeconfig));

    assertThat(installed.exit()).as(installed.output()).isZero();
    assertThat(installed.output()).contains("STATUS: deployed").contains("NOTES:");
    KubernetesClient admin = kube.admin();
    List<Container> containers = new ArrayList<>();
    containers.addAll(
        admin
            .apps()
            .statefulSets()
            .inNamespace("seb-system")
            .withName("seb-broker")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers());
    for (String deployment : List.of("seb-operator", "seb-admission-webhook")) {
      containers.addAll(
          admin
              .apps()
              .deployments()
              .inNamespace("seb-system")
              .withName(deployment)
              .get()
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers());
    }
    assertThat(containers)
        .extracting(Container::getImage)
        .allMatch(image -> image.startsWith("registry.example.com/seb/"))
        .hasSize(3);
    assertThat(
            admin
                .network()
                .v1()
                .networkPolicies()
                .inNamespace("seb-system")
                .withName("seb-admission-webhook")
                .get()
                .getSpec()
                .getIngress()
                .get(0)
                .getFrom()
                .get(0)
                .getIpBlock()
                .getCidr())
        .isEqualTo("10.0.0.10/32");

    HelmChart.Result removed = chart.helm(withKubeconfig(uninstall, kubeconfig));

    assertThat(removed.exit()).as(removed.output()).isZero();
    assertThat(admin.apps().statefulSets().inNamespace("seb-system").withName("seb-broker").get())
        .isNull();
    assertThat(admin.admissionRegistration().v1().validatingAdmissionPolicies().list().getItems())
        .isEmpty();
  }

  /**
   * The first command in a fenced block of README that starts with {@code prefix} (after the
   * block's indentation), its continuation lines joined, else the first inline one, split into
   * words as a shell would (single quotes kept together and removed), without the leading {@code
   * helm}.
   */
  static List<String> command(String readme, String prefix) {
    String[] lines = readme.split("\n", -1);
    boolean inBlock = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.startsWith("```")) {
        inBlock = !inBlock;
      } else if (inBlock && line.startsWith(prefix)) {
        StringBuilder joined = new StringBuilder();
        while (line.endsWith("\\")) {
          joined.append(line, 0, line.length() - 1).append(' ');
          line = lines[++i].trim();
        }
        joined.append(line);
        List<String> words = words(joined.toString());
        return words.subList(1, words.size());
      }
    }
    java.util.regex.Matcher inline =
        java.util.regex.Pattern.compile("`(" + java.util.regex.Pattern.quote(prefix) + "[^`]+)`")
            .matcher(readme);
    if (inline.find()) {
      List<String> words = words(inline.group(1));
      return words.subList(1, words.size());
    }
    throw new AssertionError("README prints no command starting with '" + prefix + "'");
  }

  private static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : command.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          words.add(word.toString());
          word.setLength(0);
          any = false;
        }
      } else {
        word.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(word.toString());
    }
    return words;
  }

  private static List<String> withKubeconfig(List<String> args, Path kubeconfig) {
    List<String> all = new ArrayList<>(args);
    all.add("--kubeconfig");
    all.add(kubeconfig.toString());
    return all;
  }
}
