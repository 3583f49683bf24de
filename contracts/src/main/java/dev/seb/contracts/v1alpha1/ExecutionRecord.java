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
 * One signed, hash-chained record written by the broker. The JWS payload is authoritative; the
 * other spec fields are a readable copy. Never updated or deleted except by a retention role.
 */
@Group("seb.dev")
@Version("v1alpha1")
@ShortNames("ser")
@Categories("seb")
@AdditionalPrinterColumn(name = "Chain", jsonPath = ".spec.chain")
@AdditionalPrinterColumn(
    name = "Seq",
    jsonPath = ".spec.sequence",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Kind", jsonPath = ".spec.kind")
@AdditionalPrinterColumn(name = "Proposal", jsonPath = ".spec.proposalRef")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ExecutionRecord extends CustomResource<ExecutionRecordSpec, ExecutionRecordStatus>
    implements Namespaced {

  private static final long serialVersionUID = 1L;

  @Required // without it, removing the spec skips every rule under it
  @Override
  @JsonPropertyDescription(
      "One signed, hash-chained record: a readable copy of its place in the chain and the"
          + " signed JWS itself, which is authoritative. Immutable.")
  public ExecutionRecordSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Conditions about the record, for example set by an auditor tool. Nothing in seb reads"
          + " them: the JWS is the record.")
  public ExecutionRecordStatus getStatus() {
    return super.getStatus();
  }
}
