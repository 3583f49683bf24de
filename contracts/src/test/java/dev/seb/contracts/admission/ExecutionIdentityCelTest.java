package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CEL form of "an execution identity" (used to spare those requests the webhook call) agrees
 * with the Java rule the webhook applies, on the cases that matter, evaluated by cel-java.
 */
class ExecutionIdentityCelTest {

  private static final AdmissionPolicy POLICY = AdmissionPolicy.defaults();
  private static final String EXEC = "system:serviceaccount:seb-system:seb-exec-1a2b";

  private static boolean cel(Map<String, Object> userInfo) throws Exception {
    var ast =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build()
            .compile(POLICY.executionIdentityCel())
            .getAst();
    CelRuntime.Program program =
        CelRuntimeFactory.standardCelRuntimeBuilder().build().createProgram(ast);
    return (Boolean) program.eval(Map.of("request", Map.of("userInfo", userInfo)));
  }

  private static boolean webhook(String user, Set<String> groups) {
    return new AdmissionRules(POLICY)
        .protectedNamespace(
            new AdmissionRequest(
                "UPDATE", "", "configmaps", null, "shop", "settings", user, groups, null, null))
        .equals(new AdmissionVerdict.Allow());
  }

  @Test
  void anExecutionServiceAccount_matches() throws Exception {
    Set<String> groups = Set.of("system:serviceaccounts", "system:authenticated");
    assertThat(cel(Map.of("username", EXEC, "groups", List.copyOf(groups)))).isTrue();
    assertThat(webhook(EXEC, groups)).isTrue();
  }

  @Test
  void theSameNameWithoutTheServiceAccountGroup_doesNot() throws Exception {
    // a client certificate can carry any name, but not the group the API server gives tokens
    Set<String> groups = Set.of("system:authenticated");
    assertThat(cel(Map.of("username", EXEC, "groups", List.copyOf(groups)))).isFalse();
    assertThat(webhook(EXEC, groups)).isFalse();
    assertThat(cel(Map.of("username", EXEC))).as("no groups at all").isFalse();
  }

  @Test
  void theBareprefix_theBroker_otherNamespacesAndAgents_doNot() throws Exception {
    Set<String> groups = Set.of("system:serviceaccounts");
    for (String user :
        List.of(
            "system:serviceaccount:seb-system:seb-exec-",
            "system:serviceaccount:seb-system:seb-broker",
            "system:serviceaccount:agents:seb-exec-1a2b",
            "system:serviceaccount:agents:planner",
            "seb-exec-1a2b")) {
      assertThat(cel(Map.of("username", user, "groups", List.copyOf(groups)))).as(user).isFalse();
      assertThat(webhook(user, groups)).as(user).isFalse();
    }
  }

  @Test
  void aNamespaceThatCannotBeQuoted_isRefused() {
    AdmissionPolicy odd =
        new AdmissionPolicy(
            "it's",
            "seb-broker",
            "seb-exec-",
            AdmissionPolicy.DEFAULT_PROTECTED,
            List.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of());
    assertThatThrownBy(odd::executionIdentityCel).isInstanceOf(IllegalArgumentException.class);
  }
}
