package dev.seb.local;

/** The local stack could not do what was asked; the message says what and where to look. */
public final class LocalStackException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LocalStackException(String message) {
    super(message);
  }

  public LocalStackException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A component failed: the message carries its log file and the tail of the log. */
  LocalStackException(String message, Component component) {
    super(
        message
            + "\n  log: "
            + component.log()
            + "\n  last lines:\n"
            + component.tail(25).indent(4).stripTrailing());
  }
}
