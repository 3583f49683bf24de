package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The typed execution contract a SAB certifies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionContractSpec(
    @Required
        @JsonPropertyDescription(
            "The one object (Kubernetes) or resources (AWS) this contract lets seb mutate.")
        Target target,
    @Required
        @Size(min = 1)
        @JsonPropertyDescription("The operations allowed on the target, each with its constraints.")
        List<ContractOperation> operations,
    @JsonPropertyDescription(
            "Live-state assertions checked at execution time; any mismatch is DRIFT_DETECTED.")
        List<Precondition> preconditions,
    @JsonPropertyDescription(
            "Whether the effect can be undone: reversible, compensable or irreversible. Irreversible contracts are held for approval.")
        Reversibility reversibility,
    @JsonPropertyDescription("Whether an approval is required before execution, and by whom.")
        Approval approval,
    @JsonPropertyDescription(
            "The SAB certificate over this contract: a compact JWS with an x5c chain to a TrustAnchor"
                + " root and claims iss, jti, sub (the contract digest), contract, nbf, exp,"
                + " policyEpoch and revocationEpoch.")
        String certificate) {

  /** The target of a contract: exactly one of {@code kubernetes} or {@code aws}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Target(
      @JsonPropertyDescription("A single Kubernetes object.") KubernetesTarget kubernetes,
      @JsonPropertyDescription("AWS actions on resource ARNs.") AwsTarget aws) {}

  /** One Kubernetes object, by apiVersion, kind, namespace and name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KubernetesTarget(
      @Required @JsonPropertyDescription("API version, for example apps/v1.") String apiVersion,
      @Required @JsonPropertyDescription("Kind, for example Deployment.") String kind,
      @Required @JsonPropertyDescription("Namespace of the object.") String namespace,
      @Required @JsonPropertyDescription("Name of the object.") String name) {}

  /** AWS actions on resources in one region. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AwsTarget(
      @Required @JsonPropertyDescription("AWS region, for example eu-west-1.") String region,
      @Required @JsonPropertyDescription("Service prefix, for example s3.") String service,
      @Required
          @Size(min = 1)
          @JsonPropertyDescription("Allowed actions, for example s3:PutObject.")
          List<String> actions,
      @Required @Size(min = 1) @JsonPropertyDescription("Resource ARNs the actions may touch.")
          List<String> resources,
      @JsonPropertyDescription("ARN of the role seb assumes to execute.")
          String executionRoleArn) {}

  /**
   * One allowed operation and its constraints. A {@code create} carries the certified {@code
   * manifest}: the created object must equal it everywhere except at {@code
   * constraints.allowedPaths}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.type != 'create' || has(self.manifest)",
      message =
          "a create operation needs manifest, the certified object: without it nothing may be"
              + " created")
  @ValidationRule(
      value = "!has(self.manifest) || self.type == 'create'",
      message = "manifest belongs to a create operation only")
  public record ContractOperation(
      @Required @JsonPropertyDescription("scale, patch, create, delete or aws-call.")
          OperationType type,
      @JsonPropertyDescription("Limits on the operation.") OperationConstraints constraints,
      @PreserveUnknownFields
          @SchemaFrom(type = AnyObject.class)
          @JsonPropertyDescription(
              "For create: the certified object. The created object must equal it everywhere"
                  + " except at constraints.allowedPaths; metadata (name, namespace, labels,"
                  + " annotations) is content like the rest. A missing metadata.namespace means"
                  + " the target's namespace.")
          JsonNode manifest) {}

  /**
   * The schema of a free-form object: {@code type: object} (so CEL rules can test whether it is
   * there) with unknown fields preserved, and no properties, defaults or pruning.
   */
  static final class AnyObject {
    private AnyObject() {}
  }

  /** A live-state assertion: the value at a JSON Pointer must equal the given text. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Precondition(
      @Required
          @JsonPropertyDescription(
              "JSON Pointer into the live object, for example /spec/template/spec/containers/0/image.")
          String path,
      @Required
          @JsonProperty("equals")
          @JsonPropertyDescription("Expected value, compared with the live scalar's text form.")
          String equalTo) {}

  /** Whether the effect of an execution can be undone. */
  public enum Reversibility {
    @JsonProperty("reversible")
    REVERSIBLE,
    @JsonProperty("compensable")
    COMPENSABLE,
    @JsonProperty("irreversible")
    IRREVERSIBLE
  }

  /** Approval requirement. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Approval(
      @JsonPropertyDescription("Whether an approval is required before execution.")
          Boolean required,
      @JsonPropertyDescription("Who may approve (user or group names).") List<String> approvers) {}
}
