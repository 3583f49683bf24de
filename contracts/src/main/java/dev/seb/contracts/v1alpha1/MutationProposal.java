package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A change an agent proposes. The broker decides it (ADMIT, DENY or HOLD), executes admitted ones
 * itself with a scoped identity, and records both. The spec is immutable after creation.
 */
@Group("seb.dev")
@Version("v1alpha1")
@ShortNames("smp")
@Categories("seb")
@AdditionalPrinterColumn(name = "Mandate", jsonPath = ".spec.mandateRef")
@AdditionalPrinterColumn(name = "Operation", jsonPath = ".spec.operation.type")
@AdditionalPrinterColumn(name = "Decision", jsonPath = ".status.decision")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reasons[0].code")
@AdditionalPrinterColumn(
    name = "Executed",
    jsonPath = ".status.executed",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class MutationProposal extends CustomResource<MutationProposalSpec, MutationProposalStatus>
    implements Namespaced {

  private static final long serialVersionUID = 1L;

  @Required // without it, removing the spec skips every rule under it
  @Override
  @JsonPropertyDescription(
      "The change an agent proposes, under which mandate and contract, and why. Immutable after"
          + " creation: to change anything, create a new proposal.")
  public MutationProposalSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "The broker's decision (ADMIT, DENY or HOLD) with its reasons, whether the mutation was"
          + " executed, and the signed ExecutionRecords behind both. Written only by the broker.")
  public MutationProposalStatus getStatus() {
    return super.getStatus();
  }
}
