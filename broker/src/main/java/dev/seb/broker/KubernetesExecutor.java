package dev.seb.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.execution.Executor;
import dev.seb.contracts.v1alpha1.MutationProposalSpec.PatchType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;

/**
 * Performs one admitted mutation with the minted identity's client, conditioned on the
 * resourceVersion the live-state check read: a concurrent change makes the API server refuse the
 * write, which is DRIFT_DETECTED. No retry, no blind write.
 */
final class KubernetesExecutor implements Executor<JsonNode> {

  private final KubernetesClient identity;
  private final TargetResource target;

  KubernetesExecutor(KubernetesClient identity, TargetResource target) {
    this.identity = identity;
    this.target = target;
  }

  /**
   * Returns the object as the API server answered the write (the scale subresource for a scale), or
   * null for a delete.
   */
  @Override
  public JsonNode execute(AdmittedExecution admitted) throws VerificationException {
    // addressed by a stub, so the client writes without reading the object first: the minted
    // identity needs no read access, and the write is one round trip
    GenericKubernetesResource stub = new GenericKubernetesResource();
    stub.setApiVersion(admitted.target().apiVersion());
    stub.setKind(admitted.target().kind());
    stub.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(admitted.target().name())
            .withNamespace(admitted.target().namespace())
            .build());
    var resource =
        identity
            .genericKubernetesResources(target.context())
            .inNamespace(admitted.target().namespace())
            .resource(stub);
    String rv = admitted.resourceVersion();
    try {
      GenericKubernetesResource written =
          switch (admitted.operation().type()) {
            case SCALE -> {
              ObjectNode body = CanonicalJson.mapper().createObjectNode();
              body.putObject("metadata").put("resourceVersion", rv);
              body.putObject("spec").put("replicas", admitted.operation().replicas());
              yield resource
                  .subresource("scale")
                  .patch(
                      PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                      body.toString());
            }
            case PATCH -> {
              if (admitted.operation().patchType() == PatchType.JSON) {
                ArrayNode ops = CanonicalJson.mapper().createArrayNode();
                ops.addObject()
                    .put("op", "test")
                    .put("path", "/metadata/resourceVersion")
                    .put("value", rv);
                admitted.operation().patch().forEach(ops::add);
                yield resource.patch(
                    PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                    ops.toString());
              }
              ObjectNode merge = admitted.operation().patch().deepCopy();
              merge.withObject("metadata").put("resourceVersion", rv);
              yield resource.patch(
                  PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                  merge.toString());
            }
            case CREATE -> {
              // the pipeline checked the object is exactly the contract's target; an existing
              // object makes the API server answer 409, which is drift
              GenericKubernetesResource object =
                  CanonicalJson.mapper()
                      .convertValue(admitted.operation().object(), GenericKubernetesResource.class);
              object.getMetadata().setNamespace(admitted.target().namespace());
              object.getMetadata().setResourceVersion(null);
              yield identity
                  .genericKubernetesResources(target.context())
                  .inNamespace(admitted.target().namespace())
                  .resource(object)
                  .create();
            }
            case DELETE -> {
              // preconditioned on the checked resourceVersion: a changed object is not deleted
              var deleted = resource.lockResourceVersion(rv).delete();
              if (deleted == null || deleted.isEmpty()) {
                throw new VerificationException(
                    ReasonCode.DRIFT_DETECTED,
                    "the target was deleted after it was checked; nothing was deleted by seb");
              }
              yield null;
            }
            case AWS_CALL ->
                throw new VerificationException(
                    ReasonCode.EXECUTION_FAILED,
                    "spec.operation.type aws-call is not executable on a Kubernetes target");
          };
      return written == null ? null : CanonicalJson.mapper().valueToTree(written);
    } catch (KubernetesClientException e) {
      boolean conflict =
          e.getCode() == 409
              || (e.getCode() == 422 && String.valueOf(e.getMessage()).contains("test"));
      throw new VerificationException(
          conflict ? ReasonCode.DRIFT_DETECTED : ReasonCode.EXECUTION_FAILED,
          (conflict
                  ? "the target changed after it was checked (resourceVersion "
                      + rv
                      + "); nothing was written: "
                  : "the write failed: ")
              + e.getMessage(),
          e);
    }
  }
}
