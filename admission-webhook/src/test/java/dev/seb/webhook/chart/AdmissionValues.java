package dev.seb.webhook.chart;

import dev.seb.ground.HelmChart;
import dev.seb.testing.TestGround;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * seb's chart rendered for one set of {@code admission} values and a release namespace, with one
 * more template that shows the env of {@code seb.admission.env}, {@code seb.broker.env} and {@code
 * seb.operator.env} (the chart is copied, the checkout's chart is left as it is).
 */
public final class AdmissionValues {

  /** The templates the admission policy is rendered into. */
  public static final List<String> TEMPLATES =
      List.of(
          "templates/admission-webhook-registration.yaml",
          "templates/validating-admission-policy.yaml",
          "templates/validating-admission-policy-seb-kinds.yaml");

  private static final String ENV_TEMPLATE = "templates/zz-seb-admission-env.yaml";

  private static final String ENV =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: seb-admission-env}
      spec:
        containers:
        - name: admission-webhook
          env:
            {{- include "seb.admission.env" . | nindent 6 }}
        - name: broker
          env:
            {{- include "seb.broker.env" . | nindent 6 }}
        - name: operator
          env:
            {{- include "seb.operator.env" . | nindent 6 }}
      """;

  private final HelmChart chart;
  private final Path dir;
  private final String namespace;
  private final Path values;

  private AdmissionValues(HelmChart chart, Path dir, String namespace, Path values) {
    this.chart = chart;
    this.dir = dir;
    this.namespace = namespace;
    this.values = values;
  }

  /**
   * The chart in {@code namespace} with these values ({@code admission:} YAML; empty for the
   * defaults), copied into {@code work}.
   */
  public static AdmissionValues of(Path work, String namespace, String valuesYaml) {
    return of(work, namespace, valuesYaml, true);
  }

  /** The same without the env template: the chart's own templates only. */
  public static AdmissionValues chartOnly(Path work, String namespace, String valuesYaml) {
    return of(work, namespace, valuesYaml, false);
  }

  private static AdmissionValues of(
      Path work, String namespace, String valuesYaml, boolean withEnv) {
    HelmChart chart = TestGround.chart();
    try (Stream<Path> files = Files.walk(chart.dir())) {
      work = Files.createTempDirectory(work, "chart");
      Path dir = work.resolve("seb");
      for (Path file : files.toList()) {
        Path target = dir.resolve(chart.dir().relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
      if (withEnv) {
        Files.writeString(dir.resolve(ENV_TEMPLATE), ENV);
      }
      Path values = Files.writeString(work.resolve("values.yaml"), valuesYaml);
      return new AdmissionValues(chart, dir, namespace, values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code helm template} of these templates, with extra arguments; the exit code and output. */
  public HelmChart.Result template(List<String> templates, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "template",
                HelmChart.RELEASE,
                dir.toString(),
                "--namespace",
                namespace,
                "-f",
                values.toString(),
                "--set",
                "networkPolicy.apiServerCIDRs[0]=10.0.0.1/32"));
    for (String template : templates) {
      args.add("--show-only");
      args.add(template);
    }
    args.addAll(List.of(extra));
    return chart.helm(args);
  }

  /** The rendered registrations and policies. */
  public List<HasMetadata> objects() {
    return parse(rendered(TEMPLATES));
  }

  /** The env of one container of the env template: admission-webhook, broker or operator. */
  public Map<String, String> env(String container) {
    Pod pod = (Pod) parse(rendered(List.of(ENV_TEMPLATE))).get(0);
    Map<String, String> env = new LinkedHashMap<>();
    pod.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(container))
        .findFirst()
        .orElseThrow()
        .getEnv()
        .forEach((EnvVar e) -> env.put(e.getName(), e.getValue()));
    return env;
  }

  private String rendered(List<String> templates) {
    HelmChart.Result result = template(templates);
    if (result.exit() != 0) {
      throw new IllegalStateException("helm template failed: " + result.output());
    }
    return result.output();
  }

  private static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        objects.add(serialization.unmarshal(doc, HasMetadata.class));
      }
    }
    return objects;
  }
}
