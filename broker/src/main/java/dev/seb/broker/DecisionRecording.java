package dev.seb.broker;

import dev.seb.contracts.execution.AdmittedExecution;

/**
 * Fired (CDI, synchronously) after a proposal was admitted and before its decision record is
 * written. Nothing in seb observes it; the test suite uses it to let another broker record a
 * decision about the same proposal first, as a broker stalled past its claim could.
 */
public record DecisionRecording(AdmittedExecution admitted) {}
