package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Limits on an operation. Used by contracts and, to narrow them further, by mandate scopes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
    message = "minReplicas must not be greater than maxReplicas")
public record OperationConstraints(
    @JsonPropertyDescription(
            "For patch: JSON Pointer patterns a patch may touch; for create: where the created"
                + " object may differ from the manifest. '*' matches one path segment and a"
                + " trailing '/**' any suffix.")
        List<String> allowedPaths,
    @Min(0) @JsonPropertyDescription("For scale: the lowest replica count allowed.")
        Integer minReplicas,
    @Min(0) @JsonPropertyDescription("For scale: the highest replica count allowed.")
        Integer maxReplicas) {}
