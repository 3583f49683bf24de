package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The proposed change, under which mandate and contract. Immutable after creation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "MutationProposal spec is immutable; create a new proposal")
public record MutationProposalSpec(
    @Required
        @Pattern(MandateSpec.DNS_SUBDOMAIN)
        @Size(max = 253)
        @JsonPropertyDescription("Name of the Mandate (same namespace) the agent acts under.")
        String mandateRef,
    @Required
        @Pattern(MandateSpec.DNS_SUBDOMAIN)
        @Size(max = 253)
        @JsonPropertyDescription(
            "Name of the ExecutionContract (same namespace) that allows the change.")
        String contractRef,
    @Required
        @JsonPropertyDescription(
            "The one operation to perform on the contract's target: type, plus the fields that"
                + " type needs (replicas for scale; patchType and patch for patch; object for"
                + " create; action and parameters for aws-call). It must be allowed by the"
                + " contract and by the mandate's scope.")
        Operation operation,
    @JsonPropertyDescription(
            "The state the agent reasoned about; if given, it must still be current.")
        Observed observed,
    @JsonPropertyDescription("Why the agent proposes this change.") String justification) {

  /** One operation. Which fields apply depends on {@code type}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.type != 'scale' || has(self.replicas)",
      message = "a scale operation needs replicas")
  // 'patch' is schemaless (array or object), so CEL cannot see it; the broker checks it is there.
  @ValidationRule(
      value = "self.type != 'patch' || has(self.patchType)",
      message = "a patch operation needs patchType")
  @ValidationRule(
      value = "self.type != 'aws-call' || has(self.action)",
      message = "an aws-call operation needs action")
  public record Operation(
      @Required @JsonPropertyDescription("scale, patch, create, delete or aws-call.")
          OperationType type,
      @Min(0)
          @JsonPropertyDescription(
              "For scale: the desired replica count, within the minReplicas and maxReplicas of"
                  + " the contract and the mandate.")
          Integer replicas,
      @JsonPropertyDescription("For patch: json (RFC 6902) or merge (RFC 7386).")
          PatchType patchType,
      @PreserveUnknownFields
          @JsonPropertyDescription("For patch: the JSON patch (array) or merge patch (object).")
          JsonNode patch,
      @PreserveUnknownFields
          @JsonPropertyDescription(
              "For create: the object to create; it must equal the contract's manifest except at"
                  + " its allowedPaths.")
          JsonNode object,
      @JsonPropertyDescription("For aws-call: the action, for example s3:PutObject.") String action,
      @PreserveUnknownFields @JsonPropertyDescription("For aws-call: the action's parameters.")
          JsonNode parameters) {}

  /** Patch formats. */
  public enum PatchType {
    @JsonProperty("json")
    JSON,
    @JsonProperty("merge")
    MERGE
  }

  /** What the agent observed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Observed(
      @JsonPropertyDescription(
              "The target's metadata.resourceVersion the agent saw; if the target has changed"
                  + " since, the proposal is denied (DRIFT_DETECTED).")
          String resourceVersion) {}
}
