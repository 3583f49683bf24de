package dev.seb.contracts.scope;

import static dev.seb.contracts.scope.ScopeVerifierTest.json;
import static dev.seb.contracts.scope.ScopeVerifierTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.OperationConstraints;
import dev.seb.contracts.v1alpha1.OperationType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A mandate's scope may only narrow its contract: operations a subset, replica bounds inside, and
 * every allowedPaths pattern covered by one of the contract's patch patterns. Contract fixture:
 * scale [1, 10]; patch /spec/replicas, /spec/template/spec/containers/&#42;/image,
 * /metadata/labels/&#42;&#42; and /metadata/annotations/seb.dev~1owner; delete.
 */
class MandateNarrowingTest {

  private ObjectNode contract = (ObjectNode) resource("contract-deployment.json");

  private ExecutionContractSpec contract() {
    try {
      return CanonicalJson.mapper().treeToValue(contract, ExecutionContractSpec.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MandateSpec.Scope scope(List<OperationType> operations, OperationConstraints c) {
    return new MandateSpec.Scope("web", operations, c);
  }

  private static MandateSpec.Scope replicas(Integer min, Integer max) {
    return scope(null, new OperationConstraints(null, min, max));
  }

  private static MandateSpec.Scope paths(String... allowedPaths) {
    return scope(null, new OperationConstraints(Arrays.asList(allowedPaths), null, null));
  }

  private void narrows(MandateSpec.Scope scope) {
    assertThatCode(() -> MandateNarrowing.verify(scope, contract())).doesNotThrowAnyException();
  }

  private void widens(MandateSpec.Scope scope, String... messageParts) {
    VerificationException e =
        catchThrowableOfType(
            VerificationException.class, () -> MandateNarrowing.verify(scope, contract()));
    assertThat(e).as("expected SCOPE_VIOLATION").isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(e.getMessage()).contains("Mandate spec.scope[web]").contains(messageParts);
  }

  @Test
  void mandateWithoutOperationsOrConstraints_narrowsTrivially() {
    narrows(scope(null, null));
    narrows(scope(List.of(), null));
    narrows(scope(null, new OperationConstraints(null, null, null)));
  }

  @Test
  void operationsSubset_narrows() {
    narrows(scope(List.of(OperationType.SCALE), null));
    narrows(scope(List.of(OperationType.SCALE, OperationType.PATCH, OperationType.DELETE), null));
  }

  @Test
  void operationTheContractDoesNotAllow_widens_namingIt() {
    widens(
        scope(List.of(OperationType.SCALE, OperationType.CREATE), null),
        ".operations grants CREATE",
        "the contract does not allow");
  }

  @Test
  void contractWithoutOperations_allowsNoGrant() {
    contract.remove("operations");
    widens(scope(List.of(OperationType.SCALE), null), ".operations grants SCALE");
    narrows(scope(null, null));
  }

  @Test
  void replicaRangeInsideTheContract_narrows() {
    narrows(replicas(1, 10));
    narrows(replicas(2, 5));
    narrows(replicas(null, 5));
    narrows(replicas(3, null));
  }

  @Test
  void minReplicasBelowTheContract_widens() {
    widens(replicas(0, 5), ".constraints.minReplicas 0 is below the contract's 1");
  }

  @Test
  void maxReplicasAboveTheContract_widens() {
    widens(replicas(2, 11), ".constraints.maxReplicas 11 is above the contract's 10");
  }

  @Test
  void scaleOperationWithoutConstraints_boundsNothing() {
    contract.set("operations", json("[{\"type\": \"scale\"}]"));
    narrows(replicas(0, 1000));
  }

  @Test
  void scaleOperationWithOnlyAMaximum_leavesTheMinimumFree() {
    contract.set(
        "operations", json("[{\"type\": \"scale\", \"constraints\": {\"maxReplicas\": 3}}]"));
    narrows(replicas(0, 3));
    widens(replicas(0, 4), ".constraints.maxReplicas 4 is above the contract's 3");
  }

  @Test
  void replicaBoundsWithoutAScaleOperation_widenNothing() {
    contract.set("operations", json("[{\"type\": \"delete\"}]"));
    narrows(replicas(0, 1000));
  }

  @Test
  void contractWithSeveralScaleOperations_aRangeInsideTheSecond_narrows() {
    contract.set(
        "operations",
        json(
            "[{\"type\": \"scale\", \"constraints\": {\"minReplicas\": 1, \"maxReplicas\": 3}},"
                + " {\"type\": \"scale\", \"constraints\": {\"minReplicas\": 5, \"maxReplicas\": 10}}]"));
    narrows(replicas(5, 10));
    narrows(replicas(1, 3));
    widens(replicas(0, 3), ".constraints.minReplicas 0 is below the contract's 1");
    widens(replicas(5, 11), ".constraints.maxReplicas 11 is above the contract's 10");
  }

  @Test
  void contractWithAnUnboundedScaleOperationBesideABoundedOne_boundsNothing() {
    contract.set(
        "operations",
        json(
            "[{\"type\": \"scale\", \"constraints\": {\"minReplicas\": 1, \"maxReplicas\": 3}},"
                + " {\"type\": \"scale\"}]"));
    narrows(replicas(0, 100));
  }

  @Test
  void allowedPathsEachCoveredByAContractPattern_narrow() {
    narrows(
        paths(
            "/spec/replicas",
            "/spec/template/spec/containers/0/image",
            "/spec/template/spec/containers/*/image",
            "/metadata/labels/**",
            "/metadata/labels/app",
            "/metadata/labels/*/**",
            "/metadata/annotations/seb.dev~1owner"));
  }

  @Test
  void emptyAllowedPaths_narrowToNothing() {
    narrows(paths());
  }

  @Test
  void allowedPathOutsideTheContract_widens_namingIt() {
    widens(
        paths("/spec/replicas", "/spec/paused"),
        ".constraints.allowedPaths /spec/paused is wider than the contract's allowedPaths");
  }

  @Test
  void starWhereTheContractHasALiteral_widens() {
    widens(paths("/spec/*"), ".constraints.allowedPaths /spec/*");
    widens(paths("/metadata/annotations/*"), ".constraints.allowedPaths /metadata/annotations/*");
  }

  @Test
  void doubleStarWhereTheContractHasAStar_widens() {
    widens(
        paths("/spec/template/spec/containers/**"),
        ".constraints.allowedPaths /spec/template/spec/containers/**");
    widens(paths("/**"), ".constraints.allowedPaths /**");
  }

  @Test
  void unescapedSlashInAnAnnotationKey_isNotTheEscapedContractPattern() {
    widens(
        paths("/metadata/annotations/seb.dev/owner"),
        ".constraints.allowedPaths /metadata/annotations/seb.dev/owner");
  }

  @Test
  void malformedMandatePattern_isScopeViolation_namingIt() {
    widens(paths("spec/replicas"), ".constraints.allowedPaths: 'spec/replicas'");
    widens(paths("/spec/**/image"), ".constraints.allowedPaths: '/spec/**/image'");
  }

  @Test
  void malformedContractPatterns_coverNothing() {
    contract.set(
        "operations",
        json("[{\"type\": \"patch\", \"constraints\": {\"allowedPaths\": [\"spec/**\"]}}]"));
    widens(paths("/spec/replicas"), ".constraints.allowedPaths /spec/replicas");
  }

  @Test
  void allowedPathsWithoutAPatchOperationInTheContract_widen() {
    contract.set("operations", json("[{\"type\": \"patch\"}, {\"type\": \"scale\"}]"));
    widens(paths("/spec/replicas"), ".constraints.allowedPaths /spec/replicas");
  }

  @Test
  void rootDoubleStarInTheContract_coversEverything() {
    contract.set(
        "operations",
        json("[{\"type\": \"patch\", \"constraints\": {\"allowedPaths\": [\"/**\"]}}]"));
    narrows(paths("/**", "/spec/*", "/metadata/annotations/seb.dev~1owner"));
  }

  @Test
  void allowedPathsInsideACreateOperations_narrow_andOutsideBoth_widen() {
    contract.set(
        "operations",
        json(
            """
            [{"type": "create", "manifest": {"apiVersion": "apps/v1", "kind": "Deployment"},
              "constraints": {"allowedPaths": ["/spec/template/spec/containers/*/args/**"]}}]
            """));
    narrows(paths("/spec/template/spec/containers/0/args/**"));
    widens(paths("/spec/template/spec/volumes"), "is wider than the contract's allowedPaths");
  }
}
