package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The CRD schema of one condition: the fields of {@link io.fabric8.kubernetes.api.model.Condition},
 * with the descriptions {@code kubectl explain} shows. Only the schema comes from here; statuses
 * hold fabric8 {@code Condition}s.
 */
record ConditionSchema(
    @JsonPropertyDescription(
            "The condition type, for example Ready; a status holds at most one condition of each"
                + " type.")
        String type,
    @JsonPropertyDescription("True, False or Unknown.") String status,
    @JsonPropertyDescription(
            "Why, in one word: a seb reason code (UPPER_SNAKE, for example CERTIFICATE_EXPIRED),"
                + " the same one the broker would record, or a CamelCase state such as Verified,"
                + " Active or ReconcileError.")
        String reason,
    @JsonPropertyDescription("What happened, in words, naming the field or object concerned.")
        String message,
    @JsonPropertyDescription(
            "When status last changed (RFC 3339); a new reason or message alone does not change"
                + " it.")
        String lastTransitionTime,
    @JsonPropertyDescription("The metadata.generation the condition was set for.")
        Long observedGeneration) {}
