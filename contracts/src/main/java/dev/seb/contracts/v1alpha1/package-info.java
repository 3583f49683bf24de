/**
 * seb's resource kinds, API group {@code seb.dev}, version {@code v1alpha1}. Field descriptions
 * ({@code @JsonPropertyDescription}) become the CRD descriptions shown by {@code kubectl explain}.
 * Spec types are immutable records; status types are mutable because reconcilers fill them in.
 */
package dev.seb.contracts.v1alpha1;
