/**
 * Test kit for seb's tests, in its own module {@code seb-testkit} that every module uses with test
 * scope only: a stand-in SAB ({@link dev.seb.contracts.testkit.TestSab}) that issues contract
 * certificates and epoch statements, X.509 helpers ({@link dev.seb.contracts.testkit.TestPki}) and
 * JWS forgeries ({@link dev.seb.contracts.testkit.Forge}). Nothing shipped depends on it; the local
 * stack certifies its scenario with its own development authority instead.
 */
package dev.seb.contracts.testkit;
