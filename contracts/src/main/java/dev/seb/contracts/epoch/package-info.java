/**
 * Epochs and revocation: {@link dev.seb.contracts.epoch.EpochStatementVerifier} checks a SAB's
 * signed epoch statement, {@link dev.seb.contracts.epoch.HighWaterMark} refuses rollbacks, and
 * {@link dev.seb.contracts.epoch.EpochPolicy} checks a verified certificate against the current
 * statement (pipeline step 5).
 */
package dev.seb.contracts.epoch;
