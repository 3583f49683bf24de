package dev.seb.contracts.scope;

import static dev.seb.contracts.scope.ScopeVerifierTest.json;
import static dev.seb.contracts.scope.ScopeVerifierTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.v1alpha1.ExecutionContractSpec;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MutationProposalSpec.Operation;
import dev.seb.contracts.v1alpha1.OperationConstraints;
import dev.seb.contracts.v1alpha1.OperationType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A create makes exactly the certified object. Fixture: a contract for Pod shop/report whose create
 * operation certifies a non-root, unprivileged pod and leaves open only the container's arguments
 * and one annotation. Each attack below is a pod an agent could otherwise have created.
 */
class CertifiedCreateTest {

  private static final MandateSpec.Scope UNCONSTRAINED =
      new MandateSpec.Scope("report", null, null);

  private final ObjectNode contract = (ObjectNode) resource("contract-pod.json");

  private ObjectNode createOperation() {
    return (ObjectNode) contract.get("operations").get(0);
  }

  /** A copy of the certified manifest, changed by {@code edit}, as the proposal's object. */
  private ObjectNode manifestWith(Consumer<ObjectNode> edit) {
    ObjectNode object = createOperation().get("manifest").deepCopy();
    edit.accept(object);
    return object;
  }

  private static ObjectNode container(ObjectNode pod) {
    return (ObjectNode) pod.get("spec").get("containers").get(0);
  }

  private static Operation create(JsonNode object) {
    return new Operation(OperationType.CREATE, null, null, null, object, null, null);
  }

  private ExecutionContractSpec contract() {
    try {
      return CanonicalJson.mapper().treeToValue(contract, ExecutionContractSpec.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void admitted(JsonNode object, MandateSpec.Scope scope) {
    assertThatCode(() -> ScopeVerifier.verify(create(object), contract(), scope))
        .doesNotThrowAnyException();
  }

  private void admitted(JsonNode object) {
    admitted(object, UNCONSTRAINED);
  }

  private VerificationException denied(JsonNode object, MandateSpec.Scope scope) {
    VerificationException e =
        catchThrowableOfType(
            VerificationException.class,
            () -> ScopeVerifier.verify(create(object), contract(), scope));
    assertThat(e).as("expected a denial").isNotNull();
    return e;
  }

  private void scopeViolationAt(JsonNode object, String pointer) {
    VerificationException e = denied(object, UNCONSTRAINED);
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(e.getMessage())
        .contains("differs from the contract's certified manifest at " + pointer + ",")
        .contains("contract's allowedPaths");
  }

  // ---- golden ----

  @Test
  void theCertifiedManifestItself_isAdmitted() {
    admitted(manifestWith(pod -> {}));
  }

  @Test
  void withoutNamespace_isTheTargetsNamespace_andAdmitted() {
    admitted(manifestWith(pod -> ((ObjectNode) pod.get("metadata")).remove("namespace")));
  }

  @Test
  void changesInsideAllowedPaths_areAdmitted() {
    admitted(
        manifestWith(
            pod -> {
              container(pod).putArray("args").add("--since").add("7d");
              pod.withObject("metadata")
                  .withObject("annotations")
                  .put("seb.dev/ticket", "OPS-1234");
            }));
  }

  @Test
  void numbersCompareByValue_andKeyOrderDoesNotMatter() {
    createOperation()
        .withObject("manifest")
        .withObject("spec")
        .put("terminationGracePeriodSeconds", 30)
        .put("activeDeadlineSeconds", 600);
    ObjectNode pod = createOperation().get("manifest").deepCopy();
    ObjectNode spec = (ObjectNode) pod.remove("spec");
    spec.put("terminationGracePeriodSeconds", 30.0);
    pod.set("spec", spec); // now after metadata in the other order
    admitted(pod);
  }

  // ---- adversarial: anything else is a scope violation naming the first differing pointer ----

  @Test
  void privilegedContainer_isScopeViolation_atItsSecurityContext() {
    scopeViolationAt(
        manifestWith(pod -> container(pod).withObject("securityContext").put("privileged", true)),
        "/spec/containers/0/securityContext/privileged");
  }

  @Test
  void extraPrivilegedContainer_isScopeViolation_atTheNewElement() {
    scopeViolationAt(
        manifestWith(
            pod ->
                ((ArrayNode) pod.get("spec").get("containers"))
                    .addObject()
                    .put("name", "miner")
                    .put("image", "evil.example/miner")
                    .putObject("securityContext")
                    .put("privileged", true)),
        "/spec/containers/1");
  }

  @Test
  void hostPathVolume_isScopeViolation_atTheVolumes() {
    scopeViolationAt(
        manifestWith(
            pod ->
                pod.withObject("spec")
                    .putArray("volumes")
                    .addObject()
                    .put("name", "root")
                    .putObject("hostPath")
                    .put("path", "/")),
        "/spec/volumes");
  }

  @Test
  void secretMountedThroughAnEnvVar_isScopeViolation() {
    scopeViolationAt(
        manifestWith(
            pod ->
                container(pod)
                    .putArray("env")
                    .addObject()
                    .put("name", "TOKEN")
                    .putObject("valueFrom")
                    .putObject("secretKeyRef")
                    .put("name", "payments")
                    .put("key", "token")),
        "/spec/containers/0/env");
  }

  @Test
  void changedImage_isScopeViolation() {
    scopeViolationAt(
        manifestWith(pod -> container(pod).put("image", "evil.example/report:latest")),
        "/spec/containers/0/image");
  }

  @Test
  void changedLabel_isScopeViolation_becauseLabelsSelectTraffic() {
    scopeViolationAt(
        manifestWith(pod -> pod.withObject("metadata").withObject("labels").put("app", "payments")),
        "/metadata/labels/app");
  }

  @Test
  void addedOwnerReference_isScopeViolation() {
    scopeViolationAt(
        manifestWith(
            pod ->
                pod.withObject("metadata")
                    .putArray("ownerReferences")
                    .addObject()
                    .put("kind", "Deployment")
                    .put("name", "web")),
        "/metadata/ownerReferences");
  }

  @Test
  void removedField_isScopeViolation_atIt() {
    scopeViolationAt(
        manifestWith(pod -> container(pod).remove("securityContext")),
        "/spec/containers/0/securityContext");
  }

  @Test
  void anotherAnnotation_isScopeViolation_nextToTheAllowedOne() {
    scopeViolationAt(
        manifestWith(
            pod ->
                pod.withObject("metadata").withObject("annotations").put("seb.dev/owner", "eve")),
        "/metadata/annotations/seb.dev~1owner");
  }

  @Test
  void changedName_isScopeViolation_evenWhenTheManifestWouldAllowIt() {
    // the target pins the name before the manifest is compared
    VerificationException e =
        denied(manifestWith(pod -> pod.withObject("metadata").put("name", "other")), UNCONSTRAINED);
    assertThat(e.reason()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(e.getMessage()).contains("spec.operation.object.metadata.name is 'other'");
  }

  @Test
  void changedNameOutsideAllowedPaths_isScopeViolation_atTheName() {
    // a contract whose target and manifest disagree certifies nothing that can be created
    createOperation().withObject("manifest").withObject("metadata").put("name", "other");
    scopeViolationAt(
        manifestWith(pod -> pod.withObject("metadata").put("name", "report")), "/metadata/name");
  }

  @Test
  void differenceInTheAllowedPathsShape_isStillCaught_whenTheParentIsReplaced() {
    // args/* frees each argument, not the args array: a string in its place is outside
    scopeViolationAt(
        manifestWith(pod -> container(pod).put("args", "--exec=/bin/sh")),
        "/spec/containers/0/args");
  }

  @Test
  void theFirstDifferenceInKeyOrder_isTheOneNamed() {
    scopeViolationAt(
        manifestWith(
            pod -> {
              pod.withObject("spec").put("hostNetwork", true);
              pod.withObject("metadata").withObject("labels").put("tier", "x");
            }),
        "/metadata/labels/tier");
  }

  // ---- allowedPaths: the contract's, then the mandate's ----

  @Test
  void aPatternThatFreesTheWholeSpec_isTheAuthorsChoice() {
    createOperation().withObject("constraints").putArray("allowedPaths").add("/spec/**");
    admitted(
        manifestWith(pod -> container(pod).withObject("securityContext").put("privileged", true)));
  }

  @Test
  void createWithoutAllowedPaths_mustEqualTheManifestExactly() {
    createOperation().remove("constraints");
    admitted(manifestWith(pod -> {}));
    scopeViolationAt(
        manifestWith(pod -> container(pod).putArray("args").add("--since").add("7d")),
        "/spec/containers/0/args/1");
  }

  @Test
  void mandateAllowedPaths_narrowWhereTheObjectMayDiffer() {
    MandateSpec.Scope onlyTheTicket =
        new MandateSpec.Scope(
            "report",
            null,
            new OperationConstraints(List.of("/metadata/annotations/seb.dev~1ticket"), null, null));
    admitted(
        manifestWith(
            pod ->
                pod.withObject("metadata").withObject("annotations").put("seb.dev/ticket", "T-1")),
        onlyTheTicket);
    VerificationException e =
        denied(
            manifestWith(pod -> container(pod).putArray("args").add("--since").add("7d")),
            onlyTheTicket);
    assertThat(e.reason()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(e.getMessage())
        .contains("at /spec/containers/0/args/1")
        .contains("the mandate's allowedPaths");
  }

  @Test
  void aContractPatternAboveTheMandates_stillFreesWhatTheMandateNamesBelowIt() {
    // the contract frees the whole container (a subtree), the mandate one argument inside it
    createOperation().withObject("constraints").putArray("allowedPaths").add("/spec/containers/*");
    MandateSpec.Scope oneArgument =
        new MandateSpec.Scope(
            "report",
            null,
            new OperationConstraints(List.of("/spec/containers/0/args/1"), null, null));
    admitted(
        manifestWith(pod -> container(pod).putArray("args").add("--since").add("7d")), oneArgument);
    VerificationException e =
        denied(manifestWith(pod -> container(pod).put("image", "evil.example/x")), oneArgument);
    assertThat(e.getMessage())
        .contains("at /spec/containers/0/image")
        .contains("the mandate's allowedPaths");
  }

  @Test
  void mandateAllowedPathsCannotWidenTheContracts() {
    MandateSpec.Scope everything =
        new MandateSpec.Scope("report", null, new OperationConstraints(List.of("/**"), null, null));
    scopeViolationAt(
        manifestWith(pod -> pod.withObject("spec").put("hostPID", true)), "/spec/hostPID");
    VerificationException e =
        denied(manifestWith(pod -> pod.withObject("spec").put("hostPID", true)), everything);
    assertThat(e.getMessage()).contains("at /spec/hostPID").contains("contract's allowedPaths");
  }

  // ---- no manifest: nothing may be created ----

  @Test
  void createOperationWithoutManifest_allowsNothing() {
    createOperation().remove("manifest");
    VerificationException e = denied(json(MANIFEST_FREE_POD), UNCONSTRAINED);
    assertThat(e.reason()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(e.getMessage()).contains("has no manifest").contains("nothing may be created");
  }

  @Test
  void severalCreateOperations_theObjectMayMatchAnyOne() {
    ObjectNode second = createOperation().deepCopy();
    second.remove("constraints");
    container((ObjectNode) second.get("manifest"))
        .put("image", "registry.example/shop/report:2.0.0");
    ((ArrayNode) contract.get("operations")).add(second);
    admitted(
        manifestWith(pod -> container(pod).put("image", "registry.example/shop/report:2.0.0")));
    scopeViolationAt(
        manifestWith(pod -> container(pod).put("image", "registry.example/shop/report:3.0.0")),
        "/spec/containers/0/image");
  }

  private static final String MANIFEST_FREE_POD =
      """
      {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "report"},
       "spec": {"containers": [{"name": "x", "image": "x"}]}}
      """;

  // ---- the target is still pinned ----

  @Test
  void createOfAnotherObject_isScopeViolation_namingTheField() {
    for (String[] c :
        new String[][] {
          {
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"api\"}}",
            "spec.operation.object.metadata.name is 'api'"
          },
          {
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\","
                + " \"metadata\": {\"name\": \"report\", \"namespace\": \"kube-system\"}}",
            "metadata.namespace is 'kube-system'"
          },
          {
            "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"report\"}}",
            "spec.operation.object.kind is 'Secret'"
          },
          {
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\","
                + " \"metadata\": {\"name\": \"report\", \"generateName\": \"r-\"}}",
            "generateName"
          }
        }) {
      VerificationException e = denied(json(c[0]), UNCONSTRAINED);
      assertThat(e.reason()).isEqualTo(ReasonCode.SCOPE_VIOLATION);
      assertThat(e.getMessage()).contains(c[1]);
    }
  }

  @Test
  void createWithoutAnObject_isMalformed() {
    VerificationException e = denied(null, UNCONSTRAINED);
    assertThat(e.reason()).isEqualTo(ReasonCode.MALFORMED_PROPOSAL);
    assertThat(e.getMessage()).contains("spec.operation.object is missing");
  }

  @Test
  void theCreatedObject_isTheComparedOne_withTheTargetsNamespace() {
    ObjectNode pod = manifestWith(p -> ((ObjectNode) p.get("metadata")).remove("namespace"));
    JsonNode created = CreatedObject.of(pod, contract().target().kubernetes());
    assertThat(created).isEqualTo(createOperation().get("manifest"));
    assertThat(pod.get("metadata").has("namespace")).as("the proposal is not changed").isFalse();
  }
}
