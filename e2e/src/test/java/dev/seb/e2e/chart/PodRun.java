package dev.seb.e2e.chart;

import dev.seb.local.Kubeconfigs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pod of an installed release, reproduced for a local process: the container's environment as
 * the kubelet would set it (values, and {@code fieldRef}s to the pod's name and namespace), its
 * mounts as local directories (Secret volumes written from what the API server stores, emptyDirs
 * empty, the ServiceAccount token mount holding a token minted by the TokenRequest API), every
 * environment value naming a mount path pointed at the local directory instead, and a kubeconfig
 * with the same ServiceAccount's token.
 *
 * @param environment the container's environment, mount paths rewritten
 * @param kubeconfig the ServiceAccount's kubeconfig (what in a pod comes from the token mount)
 * @param mounts mount path in the pod to local directory
 */
record PodRun(Map<String, String> environment, Path kubeconfig, Map<String, Path> mounts) {

  static final String TOKEN_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

  /**
   * The pod {@code podName} of {@code template} (its only container) in {@code namespace}, with its
   * files under {@code dir}.
   */
  static PodRun of(
      KubernetesClient admin,
      Manifest.Workload workload,
      String podName,
      String namespace,
      Path dir) {
    PodSpec pod = workload.template().getSpec();
    if (pod.getContainers().size() != 1 || !pod.getInitContainers().isEmpty()) {
      throw new IllegalStateException(workload.name() + ": expected exactly one container");
    }
    Container container = pod.getContainers().get(0);
    if (container.getArgs() != null && !container.getArgs().isEmpty()
        || container.getCommand() != null && !container.getCommand().isEmpty()) {
      throw new IllegalStateException(
          workload.name() + " sets command/args: a local run would have to pass them too");
    }
    String account = pod.getServiceAccountName();
    String kubeconfigYaml = Kubeconfigs.forServiceAccount(admin, namespace, account, namespace);
    Path kubeconfig = Kubeconfigs.write(dir.resolve("kubeconfig"), kubeconfigYaml);

    Map<String, Path> mounts = new LinkedHashMap<>();
    if (automountsToken(admin, pod, namespace)) {
      Path tokenDir = dir.resolve("serviceaccount");
      write(tokenDir.resolve("token"), token(kubeconfigYaml));
      write(tokenDir.resolve("namespace"), namespace);
      mounts.put(TOKEN_MOUNT, tokenDir);
    }
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no volume " + mount.getName()));
      Path local = dir.resolve("volumes").resolve(mount.getName());
      mkdirs(local);
      if (volume.getSecret() != null) {
        Secret secret =
            admin
                .secrets()
                .inNamespace(namespace)
                .withName(volume.getSecret().getSecretName())
                .get();
        if (secret == null) {
          throw new IllegalStateException(
              "the Secret " + volume.getSecret().getSecretName() + " of " + workload.name());
        }
        secret
            .getData()
            .forEach(
                (key, value) ->
                    write(local.resolve(key), new String(Base64.getDecoder().decode(value))));
      } else if (volume.getEmptyDir() == null) {
        throw new IllegalStateException(
            workload.name() + ": volume " + volume.getName() + " is neither a Secret nor emptyDir");
      }
      mounts.put(mount.getMountPath(), local);
    }

    Map<String, String> environment = new LinkedHashMap<>();
    for (EnvVar env : container.getEnv()) {
      String value;
      if (env.getValueFrom() == null) {
        value = env.getValue() == null ? "" : env.getValue();
      } else if (env.getValueFrom().getFieldRef() != null) {
        value =
            switch (env.getValueFrom().getFieldRef().getFieldPath()) {
              case "metadata.name" -> podName;
              case "metadata.namespace" -> namespace;
              case "spec.serviceAccountName" -> account;
              default ->
                  throw new IllegalStateException(
                      "unsupported fieldRef " + env.getValueFrom().getFieldRef().getFieldPath());
            };
      } else {
        throw new IllegalStateException("unsupported valueFrom in " + env.getName());
      }
      environment.put(env.getName(), local(value, mounts));
    }
    return new PodRun(environment, kubeconfig, mounts);
  }

  /**
   * Whether the kubelet mounts the ServiceAccount's token: the pod's setting, else the account's.
   */
  private static boolean automountsToken(KubernetesClient admin, PodSpec pod, String namespace) {
    if (pod.getAutomountServiceAccountToken() != null) {
      return pod.getAutomountServiceAccountToken();
    }
    var account =
        admin.serviceAccounts().inNamespace(namespace).withName(pod.getServiceAccountName()).get();
    if (account == null) {
      throw new IllegalStateException("no ServiceAccount " + pod.getServiceAccountName());
    }
    return !Boolean.FALSE.equals(account.getAutomountServiceAccountToken());
  }

  /** {@code value} with a leading mount path replaced by its local directory. */
  private static String local(String value, Map<String, Path> mounts) {
    return mounts.entrySet().stream()
        .sorted(Comparator.comparingInt((Map.Entry<String, Path> e) -> -e.getKey().length()))
        .filter(e -> value.equals(e.getKey()) || value.startsWith(e.getKey() + "/"))
        .findFirst()
        .map(e -> e.getValue() + value.substring(e.getKey().length()))
        .orElse(value);
  }

  private static String token(String kubeconfigYaml) {
    return kubeconfigYaml
        .lines()
        .map(String::trim)
        .filter(l -> l.startsWith("token: "))
        .map(l -> l.substring("token: ".length()))
        .findFirst()
        .orElseThrow();
  }

  private static void write(Path file, String content) {
    Kubeconfigs.write(file, content);
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
