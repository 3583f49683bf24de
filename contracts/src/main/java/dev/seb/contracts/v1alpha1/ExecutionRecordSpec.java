package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A readable copy of one record's place in its chain, and the signed record itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "ExecutionRecord spec is immutable")
public record ExecutionRecordSpec(
    @Required @JsonPropertyDescription("The chain (one per broker instance) the record belongs to.")
        String chain,
    @Required @Min(0) @JsonPropertyDescription("Position in the chain, from 0.") Long sequence,
    @Required
        @JsonPropertyDescription("decision, outcome, denial, revocation, break-glass or unprotect.")
        Kind kind,
    @JsonPropertyDescription("namespace/name of the proposal the record is about.")
        String proposalRef,
    @JsonPropertyDescription("sha256 of the previous record's compact JWS; absent for the first.")
        String previousDigest,
    @Required @JsonPropertyDescription("sha256 of this record's compact JWS.") String digest,
    @Required
        @JsonPropertyDescription(
            "The signed record: a compact JWS by the broker key; authoritative.")
        String jws) {

  /** Record kinds. */
  public enum Kind {
    @JsonProperty("decision")
    DECISION,
    @JsonProperty("outcome")
    OUTCOME,
    @JsonProperty("denial")
    DENIAL,
    @JsonProperty("revocation")
    REVOCATION,
    @JsonProperty("break-glass")
    BREAK_GLASS,
    @JsonProperty("unprotect")
    UNPROTECT
  }
}
