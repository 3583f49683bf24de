package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CEL of the protected-namespace policy has one shape whatever an installation configures: its
 * lists are list literals (empty ones included), so the chart can put its values there. Each CEL
 * rule decides as {@link AdmissionRules} does, for empty and for filled lists.
 */
class ValuesShapedCelTest {

  private static final Map<String, Object> TOKEN_EXTRA =
      Map.of(AdmissionRequest.CREDENTIAL_ID, List.of("JTI=7f3a"));

  private static AdmissionPolicy policy(
      List<String> exemptUsers, List<WorkloadExemption> exemptions, Set<String> breakGlass) {
    return new AdmissionPolicy(
        "guard",
        "seb-broker",
        "seb-exec-",
        exemptUsers,
        Set.of("system:nodes"),
        exemptions,
        breakGlass,
        Set.of("ops:admins"),
        Set.of(),
        Set.of("ops:protection"));
  }

  private static final List<WorkloadExemption> TWO =
      List.of(
          WorkloadExemption.parse("shop/elector=coordination.k8s.io/leases,/events"),
          WorkloadExemption.parse("shop/widgets=example.com/widgets/status"));

  @Test
  void workloadExemptions_inCel_decideAsTheWebhook() throws Exception {
    List<String> users =
        List.of(
            "system:serviceaccount:shop:elector",
            "system:serviceaccount:shop:widgets",
            "system:serviceaccount:other:elector",
            "system:serviceaccount:shop:web",
            "system:serviceaccount:guard:seb-broker",
            "elector");
    List<String[]> types =
        List.of(
            new String[] {"coordination.k8s.io", "leases", null},
            new String[] {"", "events", null},
            new String[] {"events.k8s.io", "events", null},
            new String[] {"example.com", "widgets", "status"},
            new String[] {"example.com", "widgets", null},
            new String[] {"", "configmaps", null},
            new String[] {"coordination.k8s.io", "leases", "status"});
    int allowed = 0;
    for (AdmissionPolicy policy :
        List.of(policy(List.of(), TWO, Set.of()), policy(List.of(), List.of(), Set.of()))) {
      for (String user : users) {
        for (boolean token : List.of(true, false)) {
          for (String namespace : List.of("shop", "other")) {
            for (String[] type : types) {
              AdmissionRequest request =
                  new AdmissionRequest(
                      "UPDATE",
                      type[0],
                      type[1],
                      type[2],
                      namespace,
                      "x",
                      user,
                      Set.of("system:serviceaccounts", "system:authenticated"),
                      null,
                      null,
                      token);
              boolean rules =
                  policy.workloadExemptions().stream().anyMatch(e -> e.allows(request))
                      && !policy.brokerUser().equals(user);
              boolean cel = eval(policy.workloadExemptionCel(), cel(request));
              assertThat(cel)
                  .as(
                      "%s %s %s in %s under %s",
                      user, token, java.util.Arrays.toString(type), namespace, policy)
                  .isEqualTo(rules);
              allowed += cel ? 1 : 0;
            }
          }
        }
      }
    }
    assertThat(allowed).as("the exempt writes pass, and only those").isEqualTo(3);
  }

  @Test
  void theCelsText_dependsOnTheListsOnlyInsideTheirLiterals() {
    AdmissionPolicy some =
        policy(
            List.of("system:kube-scheduler", "system:serviceaccount:kube-system:*"),
            TWO,
            Set.of("ops:break-glass", "ops:oncall"));
    AdmissionPolicy none = policy(List.of(), List.of(), Set.of());
    String withSome = some.protectedNamespaceCel();
    String withNone = none.protectedNamespaceCel();
    assertThat(
            withSome
                .replace(Cel.list(some.exemptUsers()), "USERS")
                .replace(AdmissionPolicy.workloadExemptionsCel(some.workloadExemptions()), "WL")
                .replace(Cel.list(some.breakGlassGroups()), "BG"))
        .isEqualTo(
            withNone
                .replace("[].exists(p,", "USERS.exists(p,")
                .replace("[].exists(w,", "WL.exists(w,")
                .replace("g in [])", "g in BG)"));
    assertThat(AdmissionPolicy.workloadExemptionsCel(TWO))
        .isEqualTo(
            "[['system:serviceaccount:shop:elector', 'shop', '/events'],"
                + " ['system:serviceaccount:shop:elector', 'shop', 'coordination.k8s.io/leases'],"
                + " ['system:serviceaccount:shop:widgets', 'shop', 'example.com/widgets/status']]");
  }

  @Test
  void emptyBreakGlass_letsNobodyThrough() throws Exception {
    AdmissionPolicy none = policy(List.of(), List.of(), Set.of());
    AdmissionRequest request =
        new AdmissionRequest(
            "UPDATE",
            "",
            "configmaps",
            null,
            "shop",
            "x",
            "alice",
            Set.of("seb:break-glass", "system:authenticated"),
            null,
            null,
            false);
    assertThat(eval(none.breakGlassCel(), cel(request))).isFalse();
    assertThat(eval(none.protectionAdminCel(), cel(request))).isFalse();
    assertThat(new AdmissionRules(none).protectedNamespace(request))
        .isInstanceOf(AdmissionVerdict.Deny.class);
  }

  private static Map<String, Object> cel(AdmissionRequest r) {
    Map<String, Object> userInfo = new HashMap<>();
    userInfo.put("username", r.username());
    userInfo.put("groups", new ArrayList<>(r.groups()));
    if (r.credentialBound()) {
      userInfo.put("extra", TOKEN_EXTRA);
    }
    Map<String, Object> request = new HashMap<>();
    request.put("userInfo", userInfo);
    request.put("operation", r.operation());
    request.put("namespace", r.namespace());
    request.put("name", r.name());
    request.put("resource", Map.of("group", r.group(), "resource", r.resource()));
    if (r.subresource() != null) {
      request.put("subResource", r.subresource());
    }
    return request;
  }

  private static boolean eval(String expression, Map<String, Object> request) throws Exception {
    var ast =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings())
            .addVar("request", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build()
            .compile(expression)
            .getAst();
    CelRuntime.Program program =
        CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings())
            .build()
            .createProgram(ast);
    return (Boolean) program.eval(Map.of("request", request));
  }
}
