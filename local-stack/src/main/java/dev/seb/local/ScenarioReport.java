package dev.seb.local;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.v1alpha1.MutationProposalStatus;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import java.io.PrintStream;

/**
 * How the scenario speaks: a heading a step, the broker's decisions, notes, and the checks that
 * fail the scenario with a clear message naming the step when seb did not behave as described.
 */
final class ScenarioReport {

  private final PrintStream out;

  ScenarioReport(PrintStream out) {
    this.out = out;
  }

  void heading(int step, String text) {
    out.println();
    out.println("── step " + step + " " + "─".repeat(60));
    out.println(text);
  }

  void note(String text) {
    out.println("[seb-local] " + text);
  }

  /** The broker's decision on a proposal, its reasons and who admission stamped as submitter. */
  void decision(MutationProposalStatus status) {
    out.println(
        "    broker: "
            + status.getDecision()
            + " executed="
            + status.getExecuted()
            + status.getReasons().stream()
                .map(r -> "\n      " + r.code() + ": " + r.message())
                .reduce("", String::concat)
            + "\n      submitted by (stamped by admission): "
            + status.getSubmittedBy());
  }

  void expectDenied(int step, MutationProposalStatus status, ReasonCode reason) {
    expect(
        step,
        status.getDecision() == Decision.DENY
            && Boolean.FALSE.equals(status.getExecuted())
            && !status.getReasons().isEmpty()
            && status.getReasons().get(0).code() == reason,
        "DENY " + reason + " executed=false",
        status);
  }

  static void expect(int step, boolean holds, String expected, Object actual) {
    if (!holds) {
      throw new LocalStackException(
          "scenario step " + step + ": expected " + expected + ", but got: " + actual);
    }
  }
}
