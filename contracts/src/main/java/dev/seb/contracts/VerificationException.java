package dev.seb.contracts;

import java.util.Objects;

/**
 * The one way a seb verifier says no. It carries the {@link ReasonCode} that is recorded and a
 * message for humans that names the offending field. Verifiers return nothing on success and throw
 * this on every failure, so there is no result a caller could forget to check.
 */
public class VerificationException extends Exception {

  private static final long serialVersionUID = 1L;

  private final ReasonCode reason;

  /** A failure with the given reason and message. */
  public VerificationException(ReasonCode reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** A failure with the given reason and message, caused by a lower-level exception. */
  public VerificationException(ReasonCode reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the verification failed. */
  public ReasonCode reason() {
    return reason;
  }

  @Override
  public String toString() {
    return reason + ": " + getMessage();
  }
}
