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
 * What may be mutated and how, certified by a SAB. The certificate covers the spec exactly as its
 * author wrote it (without the certificate itself), so the schema declares no defaults.
 */
@Group("seb.dev")
@Version("v1alpha1")
@ShortNames("sec")
@Categories("seb")
@AdditionalPrinterColumn(name = "Kind", jsonPath = ".spec.target.kubernetes.kind")
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.target.kubernetes.name")
@AdditionalPrinterColumn(
    name = "Certified",
    jsonPath = ".status.conditions[?(@.type==\"Certified\")].status")
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Certified\")].reason")
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".status.certificate.notAfter")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ExecutionContract
    extends CustomResource<ExecutionContractSpec, ExecutionContractStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @Required // without it, removing the spec skips every rule under it
  @Override
  @JsonPropertyDescription(
      "What may be mutated and how: the target, the allowed operations and their constraints,"
          + " preconditions, reversibility, approval, and the SAB certificate over all of it. The"
          + " certificate covers the spec exactly as written (without the certificate), so"
          + " any change needs a new certificate.")
  public ExecutionContractSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "The seb operator's view of the certificate: the spec digest, a certificate summary and"
          + " conditions Certified and Ready. Written only by the seb operator; the broker"
          + " verifies the certificate itself for every proposal.")
  public ExecutionContractStatus getStatus() {
    return super.getStatus();
  }
}
