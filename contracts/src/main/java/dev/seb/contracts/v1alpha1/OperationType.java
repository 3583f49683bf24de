package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of mutation seb can perform. */
public enum OperationType {
  /** Set replicas through the scale subresource. */
  @JsonProperty("scale")
  SCALE,
  /** Apply a JSON patch or merge patch. */
  @JsonProperty("patch")
  PATCH,
  /** Create the target object. */
  @JsonProperty("create")
  CREATE,
  /** Delete the target object. */
  @JsonProperty("delete")
  DELETE,
  /** Call one AWS API action. */
  @JsonProperty("aws-call")
  AWS_CALL
}
