package dev.seb.broker;

import dev.seb.contracts.execution.AdmittedExecution;

/**
 * Fired (CDI, synchronously) after the identity is minted and before the write: the window between
 * check and act. Nothing in seb observes it; the test suite uses it to change the target inside the
 * window and show that the conditioned write refuses, so drift cannot slip in.
 */
public record ExecutionStarting(AdmittedExecution admitted) {}
