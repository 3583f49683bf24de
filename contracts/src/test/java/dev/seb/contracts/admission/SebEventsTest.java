package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * seb's operator and broker report on seb's kinds with Kubernetes Events, also in protected
 * namespaces, and may write nothing else there on that account. The webhook's rule and the
 * ValidatingAdmissionPolicy's CEL agree on every case, evaluated by cel-java.
 */
class SebEventsTest {

  private static final AdmissionPolicy POLICY = AdmissionPolicy.defaults();
  private static final String OPERATOR = "system:serviceaccount:seb-system:seb-operator";
  private static final String BROKER = "system:serviceaccount:seb-system:seb-broker";
  private static final Set<String> SA = Set.of("system:serviceaccounts", "system:authenticated");

  private record Ask(
      String user,
      Set<String> groups,
      boolean tokenBound,
      String operation,
      String group,
      String resource,
      String subresource) {}

  private static boolean webhook(Ask a) {
    return new AdmissionRules(POLICY)
        .protectedNamespace(
            new AdmissionRequest(
                a.operation(),
                a.group(),
                a.resource(),
                a.subresource(),
                "shop",
                "e1",
                a.user(),
                a.groups(),
                null,
                null,
                a.tokenBound()))
        .equals(new AdmissionVerdict.Allow());
  }

  private static boolean cel(Ask a) throws Exception {
    Map<String, Object> userInfo = new HashMap<>();
    userInfo.put("username", a.user());
    userInfo.put("groups", List.copyOf(a.groups()));
    if (a.tokenBound()) {
      userInfo.put("extra", Map.of(AdmissionRequest.CREDENTIAL_ID, List.of("JTI=1")));
    }
    Map<String, Object> request = new HashMap<>();
    request.put("userInfo", userInfo);
    request.put("operation", a.operation());
    request.put("name", "e1");
    request.put("namespace", "shop");
    request.put("resource", Map.of("group", a.group(), "version", "v1", "resource", a.resource()));
    request.put("subResource", a.subresource() == null ? "" : a.subresource());
    var ast =
        CelCompilerFactory.standardCelCompilerBuilder()
            .addLibraries(dev.cel.extensions.CelExtensions.strings())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", SimpleType.DYN)
            .addVar("object", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build()
            .compile(POLICY.protectedNamespaceCel())
            .getAst();
    CelRuntime.Program program =
        CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(dev.cel.extensions.CelExtensions.strings())
            .build()
            .createProgram(ast);
    Map<String, Object> input = new HashMap<>();
    input.put("request", request);
    input.put("object", dev.cel.common.values.NullValue.NULL_VALUE);
    return (Boolean) program.eval(input);
  }

  private static void expect(String what, boolean allowed, Ask ask) throws Exception {
    assertThat(webhook(ask)).as("webhook: " + what).isEqualTo(allowed);
    assertThat(cel(ask)).as("CEL: " + what).isEqualTo(allowed);
  }

  @Test
  void theOperatorAndTheBroker_recordEventsInProtectedNamespaces() throws Exception {
    for (String user : List.of(OPERATOR, BROKER)) {
      expect(user + " core Event", true, new Ask(user, SA, true, "CREATE", "", "events", null));
      expect(
          user + " events.k8s.io Event",
          true,
          new Ask(user, SA, true, "CREATE", "events.k8s.io", "events", null));
    }
  }

  @Test
  void theyOnlyCreate_neverChangeOrDeleteAnyonesEvents() throws Exception {
    for (String user : List.of(OPERATOR, BROKER)) {
      for (String operation : List.of("UPDATE", "DELETE")) {
        for (String group : List.of("", "events.k8s.io")) {
          expect(
              user + " " + operation + " of an Event in " + group,
              false,
              new Ask(user, SA, true, operation, group, "events", null));
        }
      }
    }
  }

  @Test
  void onThatAccountTheyWriteNothingElse_andNobodyElseGetsIt() throws Exception {
    expect(
        "the broker on a ConfigMap",
        false,
        new Ask(BROKER, SA, true, "UPDATE", "", "configmaps", null));
    expect(
        "the operator on a ConfigMap",
        false,
        new Ask(OPERATOR, SA, true, "UPDATE", "", "configmaps", null));
    expect(
        "the broker on an Event's subresource",
        false,
        new Ask(BROKER, SA, true, "UPDATE", "", "events", "status"));
    expect(
        "the broker's name impersonated (no token credential)",
        false,
        new Ask(BROKER, SA, false, "CREATE", "", "events", null));
    expect(
        "the broker's name without the ServiceAccount group",
        false,
        new Ask(BROKER, Set.of("system:authenticated"), true, "CREATE", "", "events", null));
    expect(
        "a lookalike broker in another namespace",
        false,
        new Ask("system:serviceaccount:agents:seb-broker", SA, true, "CREATE", "", "events", null));
    expect(
        "an agent",
        false,
        new Ask("system:serviceaccount:shop:agent", SA, true, "CREATE", "", "events", null));
  }
}
