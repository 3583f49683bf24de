package dev.seb.ground;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * seb's chart ({@code charts/seb}) rendered by the real helm that {@code tools/provision.sh} builds
 * into {@code .seb/bin/helm}: what the local stack applies and what the tests install, so both use
 * the objects a cluster admin's {@code helm install} creates. Immutable; each {@code with*} returns
 * a copy.
 */
public final class HelmChart {

  /** The release name seb's own tooling uses. */
  public static final String RELEASE = "seb";

  private final Path root;
  private final String namespace;
  private final Map<String, String> sets;
  private final List<Path> valuesFiles;

  private HelmChart(Path root, String namespace, Map<String, String> sets, List<Path> values) {
    this.root = root;
    this.namespace = namespace;
    this.sets = Map.copyOf(sets);
    this.valuesFiles = List.copyOf(values);
  }

  /** The chart of the seb checkout at {@code root}, installed into {@code seb-system}. */
  public static HelmChart of(Path root) {
    return new HelmChart(root, "seb-system", Map.of(), List.of());
  }

  /** The same chart released into {@code namespace}. */
  public HelmChart inNamespace(String namespace) {
    return new HelmChart(root, namespace, sets, valuesFiles);
  }

  /** The same chart with one more {@code --set key=value}. */
  public HelmChart with(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(sets);
    more.put(key, value);
    return new HelmChart(root, namespace, more, valuesFiles);
  }

  /** The same chart with one more values file ({@code -f}). */
  public HelmChart withValues(Path file) {
    List<Path> more = new ArrayList<>(valuesFiles);
    more.add(file);
    return new HelmChart(root, namespace, sets, more);
  }

  /** The release namespace. */
  public String namespace() {
    return namespace;
  }

  /** The helm binary provisioning builds. */
  public Path helm() {
    return root.resolve(".seb/bin/helm");
  }

  /** The chart directory. */
  public Path dir() {
    return root.resolve("charts/seb");
  }

  /**
   * The rendered manifests ({@code helm template}), only those of the given template files (e.g.
   * {@code templates/broker-rbac.yaml}) when any are named.
   */
  public String render(String... showOnly) {
    List<String> command = new ArrayList<>(List.of("template", RELEASE, dir().toString()));
    command.addAll(releaseArgs());
    for (String template : showOnly) {
      command.add("--show-only");
      command.add(template);
    }
    Result result = helm(command);
    if (result.exit() != 0) {
      throw new IllegalStateException("helm template failed: " + result.output());
    }
    return result.output();
  }

  /** {@code --namespace}, every {@code -f} and {@code --set} of this chart, for helm commands. */
  public List<String> releaseArgs() {
    List<String> args = new ArrayList<>(List.of("--namespace", namespace));
    for (Path file : valuesFiles) {
      args.add("-f");
      args.add(file.toString());
    }
    sets.forEach(
        (key, value) -> {
          args.add("--set");
          args.add(key + "=" + value);
        });
    return args;
  }

  /** A helm command's exit code and its combined output. */
  public record Result(int exit, String output) {}

  /** Runs helm with {@code args} in the checkout's root, waiting up to five minutes. */
  public Result helm(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(helm().toString());
    command.addAll(args);
    if (!Files.isExecutable(helm())) {
      throw new IllegalStateException(
          helm() + " is missing: run tools/provision.sh (./mvnw verify runs it)");
    }
    try {
      // from the checkout's root, as README's commands run (relative chart paths)
      Process process =
          new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("helm did not finish: " + String.join(" ", command));
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + helm(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running helm", e);
    }
  }
}
