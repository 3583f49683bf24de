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
 * An Execution Mandate: the bounded authority a human principal grants one agent, for one purpose,
 * within a scope that can only narrow certified contracts.
 */
@Group("seb.dev")
@Version("v1alpha1")
@ShortNames("smd")
@Categories("seb")
@AdditionalPrinterColumn(name = "Agent", jsonPath = ".spec.agent.serviceAccount")
@AdditionalPrinterColumn(name = "Principal", jsonPath = ".spec.principal.subject")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".spec.lifecycle.notAfter")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Mandate extends CustomResource<MandateSpec, MandateStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @Required // without it, removing the spec skips every rule under it
  @Override
  @JsonPropertyDescription(
      "What a human principal grants one agent: scope (contracts, operations, narrower"
          + " constraints), conditions, lifecycle and delegation. Written by the principal it names"
          + " or an admin; amendments may only narrow it; principal, agent and parentRef never"
          + " change, and a revocation once set stays.")
  public MandateSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "The seb operator's evaluation of the mandate: phase, delegation chain, revocation record"
          + " and conditions Ready and Active. Written only by the seb operator; the broker"
          + " re-checks the mandate from its specs and never takes authority from here.")
  public MandateStatus getStatus() {
    return super.getStatus();
  }
}
