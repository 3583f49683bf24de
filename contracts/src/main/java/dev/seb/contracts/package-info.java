/**
 * seb's verifiable core: everything security-critical, as pure functions of signed inputs and an
 * injected {@link java.time.Clock}. No framework, no Kubernetes client calls, no I/O.
 */
package dev.seb.contracts;
