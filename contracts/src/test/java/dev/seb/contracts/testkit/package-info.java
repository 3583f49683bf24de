/**
 * Test kit shared with the other modules' tests and the demo (through the contracts test-jar): a
 * stand-in SAB ({@link dev.seb.contracts.testkit.TestSab}) that issues contract certificates and
 * epoch statements, X.509 helpers ({@link dev.seb.contracts.testkit.TestPki}) and JWS forgeries
 * ({@link dev.seb.contracts.testkit.Forge}).
 */
package dev.seb.contracts.testkit;
