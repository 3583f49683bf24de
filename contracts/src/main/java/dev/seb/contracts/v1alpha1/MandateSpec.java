package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Who grants what to which agent, why, for how long, and whether it may be delegated. Who granted
 * it, to whom, and from which parent never change, and a revocation once set stays: the API server
 * itself refuses those updates (transition rules), whoever asks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.principal == oldSelf.principal",
    message = "Mandate spec.principal is immutable; create a new mandate for another principal")
@ValidationRule(
    value = "self.agent == oldSelf.agent",
    message = "Mandate spec.agent is immutable; create a new mandate for another agent")
@ValidationRule(
    value =
        "has(self.parentRef) == has(oldSelf.parentRef)"
            + " && (!has(self.parentRef) || self.parentRef == oldSelf.parentRef)",
    message = "Mandate spec.parentRef is immutable; create a new mandate to delegate from another")
@ValidationRule(
    value =
        "!has(oldSelf.revocation)"
            + " || (has(self.revocation) && self.revocation == oldSelf.revocation)",
    message = "Mandate spec.revocation is write-once: once set it cannot be removed or changed")
public record MandateSpec(
    @Required
        @JsonPropertyDescription(
            "The human principal granting the mandate; only this user or an admin writes the"
                + " mandate. Never changes.")
        Principal principal,
    @Required
        @JsonPropertyDescription(
            "The agent the mandate is granted to; seb accepts proposals under it only from this"
                + " ServiceAccount. Never changes.")
        Agent agent,
    @JsonPropertyDescription("What the mandate is for.") Purpose purpose,
    @Required
        @Size(min = 1)
        @JsonPropertyDescription(
            "What the agent may do: contracts, operations and narrower constraints. Never empty.")
        List<Scope> scope,
    @JsonPropertyDescription("CEL conditions that must hold for every proposal under this mandate.")
        List<Condition> conditions,
    @Required @JsonPropertyDescription("When the mandate ends.") Lifecycle lifecycle,
    @JsonPropertyDescription("Whether and how far the agent may delegate this mandate.")
        Delegation delegation,
    @Pattern(DNS_SUBDOMAIN)
        @Size(max = 253)
        @JsonPropertyDescription(
            "Name of the parent mandate (same namespace) this one was delegated from.")
        String parentRef,
    @JsonPropertyDescription(
            "Set by the principal or an admin to revoke the mandate; never by the agent.")
        Revocation revocation) {

  /** A Kubernetes object name (DNS-1123 subdomain); its length is limited by {@code @Size}. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** The granting principal. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Principal(
      @Required
          @JsonPropertyDescription("The principal's user name, as Kubernetes authenticates it.")
          String subject,
      @JsonPropertyDescription("The identity provider that vouches for the subject.") String issuer,
      @JsonPropertyDescription("Reference to the grant (ticket, approval) behind this mandate.")
          String grantRef) {}

  /** The agent. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Agent(
      @Required
          @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$")
          @JsonPropertyDescription(
              "The agent's ServiceAccount as namespace/name; matched against the proposal's submitter.")
          String serviceAccount,
      @JsonPropertyDescription("Optional identifier of the agent instance.") String instance) {}

  /** Purpose, as in the Execution Mandate. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Purpose(
      @JsonPropertyDescription("The objective the agent pursues.") String objective,
      @JsonPropertyDescription("Why the business needs it.") String businessContext) {}

  /** One scope entry: a contract, the operations allowed from it, and narrower constraints. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Scope(
      @Required
          @Pattern(DNS_SUBDOMAIN)
          @Size(max = 253)
          @JsonPropertyDescription("Name of an ExecutionContract in the same namespace.")
          String contractRef,
      @JsonPropertyDescription(
              "Operations allowed; must be a subset of the contract's. Empty means all of the contract's.")
          List<OperationType> operations,
      @JsonPropertyDescription("Constraints that narrow the contract's; they can never widen it.")
          OperationConstraints constraints) {}

  /** A condition that must hold for each proposal, as a CEL expression. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(
      @Required @JsonPropertyDescription("Name of the condition, reported when it fails.")
          String name,
      @Required
          @JsonPropertyDescription(
              "CEL expression over 'proposal' and 'now'; must evaluate to true.")
          String expression,
      @JsonPropertyDescription("Message shown when the condition fails.") String message) {}

  /** When the mandate ends. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Lifecycle(
      @Required
          @JsonPropertyDescription(
              "End of the mandate (RFC 3339, for example 2030-01-01T00:00:00Z); then it expires"
                  + " or is suspended (onExpiry). A delegated mandate may not outlive its parent.")
          String notAfter,
      @JsonPropertyDescription("Events that end the mandate (Completed) when reported.")
          List<String> terminalEvents,
      @JsonPropertyDescription("What happens at notAfter: expire (default) or suspend.")
          OnExpiry onExpiry) {}

  /** What happens at {@code notAfter}. */
  public enum OnExpiry {
    @JsonProperty("expire")
    EXPIRE,
    @JsonProperty("suspend")
    SUSPEND
  }

  /** Delegation rights. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.maxAdditionalHops) || self.permitted == true || self.maxAdditionalHops == 0",
      message = "maxAdditionalHops needs permitted: true")
  public record Delegation(
      @Required
          @JsonPropertyDescription(
              "Whether the agent may delegate: create child mandates (parentRef) for other"
                  + " agents, each at most as wide as this one.")
          Boolean permitted,
      @Min(0) @JsonPropertyDescription("How many further delegation hops are allowed.")
          Integer maxAdditionalHops) {}

  /** A revocation request. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Revocation(
      @Required
          @JsonPropertyDescription(
              "Who revokes (user name); the webhook checks it is the principal or an admin.")
          String requestedBy,
      @Required @JsonPropertyDescription("Why the mandate is revoked; copied to status.revocation.")
          String reason) {}
}
