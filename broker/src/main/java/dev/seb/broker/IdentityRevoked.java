package dev.seb.broker;

/**
 * Fired (CDI) right after an execution identity was deleted. Carries the now-dead token so that a
 * verifier in the same process (the test suite) can show the API server refuses it.
 */
public record IdentityRevoked(String username, String token) {}
