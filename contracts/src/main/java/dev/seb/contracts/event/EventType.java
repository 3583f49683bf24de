package dev.seb.contracts.event;

/** A Kubernetes Event's {@code type}. */
public enum EventType {
  /** Something expected happened. */
  NORMAL("Normal"),
  /** Something a human should look at. */
  WARNING("Warning");

  private final String value;

  EventType(String value) {
    this.value = value;
  }

  /** The value of the Event's {@code type} field. */
  public String value() {
    return value;
  }
}
