package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The roots and current epochs of one Sovereign Assurance Boundary (SAB): whose certificates seb
 * accepts, and which policy and revocation epochs are in force. Cluster-scoped.
 */
@Group("seb.dev")
@Version("v1alpha1")
@ShortNames("sta")
@Categories("seb")
@AdditionalPrinterColumn(name = "SAB", jsonPath = ".spec.sabId")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(
    name = "Policy",
    jsonPath = ".status.policyEpoch",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Revocation",
    jsonPath = ".status.revocationEpoch",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".status.statementExpiresAt")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TrustAnchor extends CustomResource<TrustAnchorSpec, TrustAnchorStatus> {

  private static final long serialVersionUID = 1L;

  @Required // without it, removing the spec skips every rule under it
  @Override
  @JsonPropertyDescription(
      "One Sovereign Assurance Boundary (SAB): its identifier, its root CA certificates and its"
          + " latest signed epoch statement. Written only by the admin groups.")
  public TrustAnchorSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "The epochs of the latest verified statement (never going backwards) and condition Ready."
          + " Written only by the seb operator; the broker verifies the statement itself and"
          + " keeps its own high-water mark.")
  public TrustAnchorStatus getStatus() {
    return super.getStatus();
  }
}
