package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What every seb status carries: the generation it describes and standard conditions. A status is
 * written only by seb's own components (the admission layers refuse everyone else) and is a hint
 * for people and tools: the broker decides every proposal from the stored specs and its own checks,
 * and a status can at most make it stricter, never grant anything.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class SebStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Standard Kubernetes conditions, one per type. Reasons are seb reason codes or CamelCase"
          + " states. Written only by seb's own components; a hint, which the broker never trusts"
          + " to grant anything.")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }
}
