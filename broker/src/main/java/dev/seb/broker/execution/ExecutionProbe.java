package dev.seb.broker.execution;

import dev.seb.contracts.execution.AdmittedExecution;
import dev.seb.contracts.record.ProposalRef;

/**
 * The points of an execution a test can act at, for one proposal (identified by {@link
 * ProposalRef#uid()}). seb itself implements none of them ({@link NoProbe}); the test suite
 * replaces it to stall a broker, race its write or record a competing decision at exactly these
 * points, as real failures would.
 */
public interface ExecutionProbe {

  /** The proposal was admitted; its decision record is written next. */
  default void beforeDecisionRecord(ProposalRef proposal, AdmittedExecution admitted) {}

  /** The identity is minted; the write comes next (the window between check and act). */
  default void beforeWrite(ProposalRef proposal, AdmittedExecution admitted) {}

  /** The identity was revoked; {@code token} is now dead. */
  default void revoked(ProposalRef proposal, String username, String token) {}
}
