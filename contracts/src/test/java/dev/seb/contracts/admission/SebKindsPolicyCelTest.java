package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.seb.contracts.canonical.CanonicalJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ValidatingAdmissionPolicy for seb's kinds, evaluated by cel-java, gives the webhook's verdict
 * on every request it can judge: one matrix of kinds, operations, status or not, and identities
 * (agent, principal, another principal, admin, broker, operator, a user named like the operator,
 * the retention group). Amendments keep the spec, so narrowing (the webhook's alone) is not asked.
 */
class SebKindsPolicyCelTest {

  /** What the API server gives the user of a token it issued. */
  static final Map<String, Object> TOKEN_EXTRA =
      Map.of(AdmissionRequest.CREDENTIAL_ID, List.of("JTI=7f3a"));

  private static final AdmissionPolicy POLICY = AdmissionPolicy.defaults();
  private static final SebKindsPolicyCel CEL = new SebKindsPolicyCel(POLICY);
  private static final Set<String> SA = Set.of("system:serviceaccounts", "system:authenticated");
  private static final Set<String> USERS = Set.of("system:authenticated");

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addLibraries(CelExtensions.strings())
          .addVar("request", SimpleType.DYN)
          .addVar("object", SimpleType.DYN)
          .addVar("oldObject", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(CelExtensions.strings()).build();

  private record Identity(String user, Set<String> groups) {}

  private static final List<Identity> IDENTITIES =
      List.of(
          new Identity("system:serviceaccount:agents:planner", SA),
          new Identity("alice", USERS),
          new Identity("bob", USERS),
          new Identity("root", Set.of("seb:admins", "system:authenticated")),
          new Identity(POLICY.brokerUser(), SA),
          new Identity(POLICY.operatorUser(), SA),
          new Identity(POLICY.operatorUser(), USERS),
          new Identity("archiver", Set.of("seb:record-retention")));

  private static Object eval(String expression, Map<String, Object> input) throws Exception {
    var ast = COMPILER.compile(expression).getAst();
    return RUNTIME.createProgram(ast).eval(input);
  }

  private static Object cel(JsonNode node) {
    return node == null
        ? dev.cel.common.values.NullValue.NULL_VALUE
        : CanonicalJson.mapper().convertValue(node, Object.class);
  }

  private static JsonNode object(String resource, Identity creator) throws Exception {
    return CanonicalJson.mapper()
        .readTree(
            switch (resource) {
              case "mandates" ->
                  "{\"metadata\": {\"name\": \"m\"}, \"spec\": {\"principal\": {\"subject\": \"alice\"},"
                      + " \"agent\": {\"serviceAccount\": \"agents/planner\"},"
                      + " \"scope\": [{\"contractRef\": \"c\"}],"
                      + " \"lifecycle\": {\"notAfter\": \"2027-01-01T00:00:00Z\"}}}";
              case "mutationproposals" ->
                  "{\"metadata\": {\"name\": \"p\", \"annotations\": {\"seb.dev/submitted-by\": \""
                      + creator.user()
                      + "\"}}, \"spec\": {}}";
              default -> "{\"metadata\": {\"name\": \"x\"}, \"spec\": {}}";
            });
  }

  @Test
  void everyValidationAndMessage_compiles() throws Exception {
    for (SebKindsPolicyCel.Validation v : CEL.validations()) {
      assertThat(COMPILER.compile(v.expression()).getAst()).as(v.name()).isNotNull();
      assertThat(COMPILER.compile(v.messageExpression()).getAst()).as(v.name()).isNotNull();
    }
  }

  @Test
  void thePolicy_andTheWebhook_giveTheSameVerdicts() throws Exception {
    int denied = 0;
    int cases = 0;
    List<String> disagreements = new ArrayList<>();
    for (String resource :
        List.of(
            "mandates",
            "executioncontracts",
            "trustanchors",
            "executionrecords",
            "mutationproposals")) {
      for (String subresource : new String[] {null, "status"}) {
        for (String operation : List.of("CREATE", "UPDATE", "DELETE")) {
          if (subresource != null && !operation.equals("UPDATE")) {
            continue;
          }
          for (Identity who : IDENTITIES) {
            JsonNode object = operation.equals("DELETE") ? null : object(resource, who);
            JsonNode oldObject =
                operation.equals("CREATE")
                    ? null
                    : object(resource, new Identity("system:serviceaccount:agents:planner", SA));
            boolean webhook =
                new AdmissionRules(POLICY)
                    .sebKinds(
                        new AdmissionRequest(
                            operation,
                            "seb.dev",
                            resource,
                            subresource,
                            "shop",
                            "x",
                            who.user(),
                            who.groups(),
                            object,
                            oldObject))
                    .equals(new AdmissionVerdict.Allow());
            Map<String, Object> request = new HashMap<>();
            request.put(
                "userInfo",
                Map.of(
                    "username",
                    who.user(),
                    "groups",
                    List.copyOf(who.groups()),
                    "extra",
                    TOKEN_EXTRA));
            request.put("operation", operation);
            request.put("namespace", "shop");
            request.put("name", "x");
            request.put("resource", Map.of("group", "seb.dev", "resource", resource));
            if (subresource != null) {
              request.put("subResource", subresource);
            }
            Map<String, Object> input =
                Map.of("request", request, "object", cel(object), "oldObject", cel(oldObject));
            boolean vap = true;
            for (SebKindsPolicyCel.Validation v : CEL.validations()) {
              if (!(Boolean) eval(v.expression(), input)) {
                vap = false;
                assertThat(eval(v.messageExpression(), input)).asString().startsWith("seb: ");
              }
            }
            String what =
                operation + " " + resource + (subresource == null ? "" : "/status") + " by " + who;
            if (vap != webhook) {
              disagreements.add(what + ": policy " + vap + ", webhook " + webhook);
            }
            cases++;
            denied += webhook ? 0 : 1;
          }
        }
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(cases).isEqualTo(5 * 4 * IDENTITIES.size());
    assertThat(denied).isGreaterThan(cases / 2);
  }

  @Test
  void theSebKindsRegistration_skipsOnlyStatusWritesItsComponentsMake() throws Exception {
    String condition = POLICY.sebKindsMatchConditions().get("not-a-status-write-by-its-component");
    for (Identity who : IDENTITIES) {
      for (String resource : StatusWrites.WRITERS.keySet()) {
        Map<String, Object> request =
            Map.of(
                "userInfo",
                Map.of(
                    "username",
                    who.user(),
                    "groups",
                    List.copyOf(who.groups()),
                    "extra",
                    TOKEN_EXTRA),
                "operation",
                "UPDATE",
                "subResource",
                "status",
                "resource",
                Map.of("group", "seb.dev", "resource", resource));
        boolean skips =
            !(Boolean)
                eval(
                    condition,
                    Map.of(
                        "request",
                        request,
                        "object",
                        dev.cel.common.values.NullValue.NULL_VALUE,
                        "oldObject",
                        dev.cel.common.values.NullValue.NULL_VALUE));
        boolean allows =
            StatusWrites.decide(
                    POLICY,
                    new AdmissionRequest(
                        "UPDATE",
                        "seb.dev",
                        resource,
                        "status",
                        "shop",
                        "x",
                        who.user(),
                        who.groups(),
                        null,
                        null))
                .equals(new AdmissionVerdict.Allow());
        assertThat(skips).as(resource + " by " + who).isEqualTo(allows);
      }
    }
  }
}
