package dev.seb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.v1alpha1.MutationProposalStatus.Decision;
import dev.seb.local.Scenario;
import java.util.List;

/** What every run of the guided scenario must show, wherever seb runs (processes or pods). */
public final class GuidedScenario {

  private GuidedScenario() {}

  /** The seven steps behaved as described, and the auditor's chain holds exactly them. */
  public static void assertPassed(Scenario.Outcome outcome) {
    // 2: the agent's own kubectl scale is refused by admission, naming seb and the way to propose
    assertThat(outcome.directScaleExit()).isNotZero();
    assertThat(outcome.directScaleOutput())
        .contains("Forbidden")
        .contains("system:serviceaccount:agents:planner")
        .contains("MutationProposal");
    // 3: admitted and executed by a minted identity; the submitter is the webhook's stamp
    assertThat(outcome.admitted().getDecision()).isEqualTo(Decision.ADMIT);
    assertThat(outcome.admitted().getExecuted()).isTrue();
    assertThat(outcome.admitted().getSubmittedBy())
        .isEqualTo("system:serviceaccount:agents:planner");
    assertThat(outcome.admitted().getDecisionRecord()).isNotBlank();
    assertThat(outcome.admitted().getOutcomeRecord()).isNotBlank();
    assertThat(outcome.replicasAfterAdmit()).isEqualTo(4);
    // 4-6: denials, never executed
    assertThat(outcome.outOfScope().getReasons().get(0).code())
        .isEqualTo(ReasonCode.SCOPE_VIOLATION);
    assertThat(outcome.breakGlassOutput()).contains("break-glass");
    assertThat(outcome.drifted().getReasons().get(0).code()).isEqualTo(ReasonCode.DRIFT_DETECTED);
    assertThat(outcome.afterRevocation().getReasons().get(0).code())
        .isEqualTo(ReasonCode.MANDATE_INACTIVE);
    for (var denied : List.of(outcome.outOfScope(), outcome.drifted(), outcome.afterRevocation())) {
      assertThat(denied.getDecision()).isEqualTo(Decision.DENY);
      assertThat(denied.getExecuted()).isFalse();
    }
    // 7: every decision is in the verified chain, denials with executed=false, and on-call's
    // break-glass change (recorded by the broker before the webhook allowed it: the API server
    // called the webhook, whose notice the broker accepted)
    assertThat(outcome.audit().verified()).isTrue();
    List<String> rows =
        outcome.audit().rows().stream()
            .map(r -> r.kind() + " " + r.reason() + " " + r.executed())
            .toList();
    // the API server calls the webhook again (a new admission uid) when it retries a PATCH that
    // met a concurrent write; on a node the Deployment controller writes shop/web all the time, so
    // on-call's one change may be recorded once per attempt
    List<String> attempts = new java.util.ArrayList<>();
    for (String row : rows) {
      if (!(row.startsWith("break-glass")
          && !attempts.isEmpty()
          && attempts.get(attempts.size() - 1).equals(row))) {
        attempts.add(row);
      }
    }
    assertThat(rows.stream().filter(r -> r.startsWith("break-glass")).count())
        .as("break-glass records of on-call's one change: %s", rows)
        .isBetween(1L, 3L);
    assertThat(attempts)
        .containsExactly(
            "decision - false",
            "outcome - true",
            "denial SCOPE_VIOLATION false",
            "break-glass - false",
            "denial DRIFT_DETECTED false",
            "denial MANDATE_INACTIVE false");
    assertThat(outcome.audit().rows().get(3).proposal())
        .isEqualTo("oncall update deployments shop/web");
  }
}
