/**
 * Signed, hash-chained {@code ExecutionRecord}s (ARCHITECTURE §4 "Record"): the claims a record
 * carries ({@link dev.seb.contracts.record.RecordClaims}), the single-threaded appender that signs
 * them into a chain ({@link dev.seb.contracts.record.RecordChain}) and the verifier security teams
 * run over an exported chain ({@link dev.seb.contracts.record.RecordChainVerifier}).
 *
 * <p>Every record states {@code executed} explicitly, so the absence of an execution is as
 * observable and as tamper-evident as an execution (seed 003, invariant 4).
 */
package dev.seb.contracts.record;
