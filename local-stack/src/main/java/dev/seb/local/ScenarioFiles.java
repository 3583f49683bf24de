package dev.seb.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.local.authority.LocalSab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The objects the scenario applies, as YAML files in its directory for the user to read and apply
 * again: the authority's TrustAnchor, the contract it certified, alice's Mandate, and the agent's
 * proposals. Every name carries the run's suffix, so a second run against the same stack starts
 * afresh.
 */
final class ScenarioFiles {

  private final Path dir;
  private final String suffix;

  ScenarioFiles(Path dir, String suffix) {
    this.dir = dir;
    this.suffix = suffix;
  }

  /** The directory holding the files. */
  Path dir() {
    return dir;
  }

  /**
   * A fresh local development authority's TrustAnchor, the contract "scale shop/web between 2 and
   * 6" it certifies, and a Mandate for the agent under it.
   */
  void writeAuthority() {
    LocalSab sab = LocalSab.create("sab" + suffix + ".local.seb.dev", Clock.systemUTC());
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("1-trustanchor.yaml"),
          """
          # the assurance authority's roots and its current signed epoch statement
          apiVersion: seb.dev/v1alpha1
          kind: TrustAnchor
          metadata:
            name: sab%s
          spec:
            sabId: %s
            rootCertificates: |
          %s
            epochStatement: %s
          """
              .formatted(
                  suffix,
                  sab.sabId(),
                  sab.rootsPem().strip().indent(4).stripTrailing(),
                  sab.epochStatement()));
      ObjectNode spec =
          (ObjectNode)
              CanonicalJson.mapper()
                  .readTree(
                      """
                      {"target": {"kubernetes": {"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "namespace": "shop", "name": "web"}},
                       "operations": [{"type": "scale",
                                       "constraints": {"minReplicas": 2, "maxReplicas": 6}}],
                       "preconditions": [{"path": "/spec/template/spec/containers/0/image",
                                          "equals": "%s"}],
                       "reversibility": "reversible"}
                      """
                          .formatted(Shop.IMAGE));
      String certificate = sab.certify(spec, Shop.NAMESPACE, "scale-web" + suffix);
      Files.writeString(
          dir.resolve("2-executioncontract.yaml"),
          """
          # what may be done to shop/web, certified by the authority (spec.certificate)
          apiVersion: seb.dev/v1alpha1
          kind: ExecutionContract
          metadata:
            name: scale-web%s
            namespace: shop
          spec:
            target:
              kubernetes: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}
            operations:
              - type: scale
                constraints: {minReplicas: 2, maxReplicas: 6}
            preconditions:
              - path: /spec/template/spec/containers/0/image
                equals: %s
            reversibility: reversible
            certificate: %s
          """
              .formatted(suffix, Shop.IMAGE, certificate));
      Files.writeString(
          dir.resolve("3-mandate.yaml"),
          """
          # alice lets the agent agents/planner scale shop/web under that contract, for 8 hours
          apiVersion: seb.dev/v1alpha1
          kind: Mandate
          metadata:
            name: planner%s
            namespace: shop
          spec:
            principal: {subject: alice}
            agent: {serviceAccount: agents/planner}
            scope:
              - contractRef: scale-web%s
                operations: [scale]
            lifecycle:
              notAfter: "%s"
          """
              .formatted(suffix, suffix, Instant.now().plus(Duration.ofHours(8))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the scenario's files to " + dir, e);
    }
  }

  /** {@code proposal-<name>.yaml}: the agent proposes to scale shop/web to {@code replicas}. */
  Path proposal(String name, int replicas, String why) {
    Path file = dir.resolve("proposal-" + name + ".yaml");
    try {
      Files.writeString(
          file,
          """
          apiVersion: seb.dev/v1alpha1
          kind: MutationProposal
          metadata:
            name: %s%s
            namespace: shop
          spec:
            mandateRef: planner%s
            contractRef: scale-web%s
            operation: {type: scale, replicas: %d}
            justification: %s
          """
              .formatted(name, suffix, suffix, suffix, replicas, why));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }
}
