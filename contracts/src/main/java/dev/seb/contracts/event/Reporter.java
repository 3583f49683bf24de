package dev.seb.contracts.event;

/** The seb component reporting an Event: its {@code reportingController}/{@code source}. */
public enum Reporter {
  /** The operator (TrustAnchor, ExecutionContract, Mandate). */
  OPERATOR("seb.dev/operator"),
  /** The broker (MutationProposal). */
  BROKER("seb.dev/broker"),
  /** The admission webhook. */
  WEBHOOK("seb.dev/webhook");

  private final String controller;

  Reporter(String controller) {
    this.controller = controller;
  }

  /** The Event's {@code reportingController} (a qualified name, as the API server requires). */
  public String controller() {
    return controller;
  }
}
