/**
 * What seb's components say in Kubernetes Events: the closed list of reasons, their types and the
 * reporting components. The recorder that writes them lives in {@code seb-runtime}.
 */
package dev.seb.contracts.event;
