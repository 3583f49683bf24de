package dev.seb.ground;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Installs seb's generated CRDs ({@code crds/}) into an API server. */
public final class Crds {

  private Crds() {}

  /**
   * Creates every CRD in a directory of {@code .yml} files, in name order, and waits until each is
   * Established.
   */
  public static void install(KubernetesClient admin, Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinition crd =
              admin.apiextensions().v1().customResourceDefinitions().load(in).item();
          admin.resource(crd).create();
          admin
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(Crds::established, 30, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install CRDs from " + dir.toAbsolutePath(), e);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
