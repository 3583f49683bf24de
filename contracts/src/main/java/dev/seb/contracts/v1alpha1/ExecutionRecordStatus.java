package dev.seb.contracts.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Conditions about a record (for example, verification by an auditor tool). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExecutionRecordStatus extends SebStatus {}
