package dev.seb.contracts.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
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
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".spec.lifecycle.notAfter")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Mandate extends CustomResource<MandateSpec, MandateStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;
}
