package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.seb.contracts.canonical.CanonicalJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CEL form of "an execution identity" (used to spare those requests the webhook call) agrees
 * with the Java rule the webhook applies, on the cases that matter, evaluated by cel-java.
 */
class ExecutionIdentityCelTest {

  /** What the API server gives the user of a token it issued. */
  static final Map<String, Object> TOKEN_EXTRA =
      Map.of(AdmissionRequest.CREDENTIAL_ID, List.of("JTI=7f3a"));

  private static final AdmissionPolicy POLICY = AdmissionPolicy.defaults();
  private static final String EXEC = "system:serviceaccount:seb-system:seb-exec-1a2b";

  private static boolean cel(Map<String, Object> userInfo) throws Exception {
    return eval(POLICY.executionIdentityCel(), Map.of("userInfo", userInfo), null);
  }

  private static boolean eval(String expression, Map<String, Object> request, Object object)
      throws Exception {
    var ast =
        CelCompilerFactory.standardCelCompilerBuilder()
            .addLibraries(dev.cel.extensions.CelExtensions.strings())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", SimpleType.DYN)
            .addVar("object", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build()
            .compile(expression)
            .getAst();
    CelRuntime.Program program =
        CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(dev.cel.extensions.CelExtensions.strings())
            .build()
            .createProgram(ast);
    java.util.Map<String, Object> input = new java.util.HashMap<>();
    input.put("request", request);
    input.put("object", object == null ? dev.cel.common.values.NullValue.NULL_VALUE : object);
    return (Boolean) program.eval(input);
  }

  private static final String BROKER = "system:serviceaccount:seb-system:seb-broker";
  private static final String MINTED_ROLE =
      "{\"rules\": [{\"apiGroups\": [\"apps\"], \"resources\": [\"deployments/scale\"],"
          + " \"resourceNames\": [\"web\"], \"verbs\": [\"patch\"]}]}";

  /** One RBAC request by {@code user}, asked of the CEL form and of the webhook's rule. */
  private static void agree(
      String what,
      boolean expected,
      String user,
      Set<String> groups,
      String operation,
      String resource,
      String name,
      String object)
      throws Exception {
    var tree = object == null ? null : CanonicalJson.mapper().readTree(object);
    Map<String, Object> request =
        Map.of(
            "userInfo",
            Map.of("username", user, "groups", List.copyOf(groups), "extra", TOKEN_EXTRA),
            "operation",
            operation,
            "name",
            name,
            "resource",
            Map.of(
                "group",
                resource.equals("deployments") ? "apps" : "rbac.authorization.k8s.io",
                "resource",
                resource));
    Object celObject = tree == null ? null : CanonicalJson.mapper().convertValue(tree, Map.class);
    assertThat(eval(POLICY.brokerMintedRbacCel(), request, celObject)).as(what).isEqualTo(expected);
    boolean allowed =
        new AdmissionRules(POLICY)
            .protectedNamespace(
                new AdmissionRequest(
                    operation,
                    resource.equals("deployments") ? "apps" : "rbac.authorization.k8s.io",
                    resource,
                    null,
                    "shop",
                    name,
                    user,
                    groups,
                    tree,
                    null))
            .equals(new AdmissionVerdict.Allow());
    assertThat(allowed).as("the webhook: " + what).isEqualTo(expected);
  }

  private static String binding(String roleKind, String roleName, String subjects) {
    return "{\"roleRef\": {\"apiGroup\": \"rbac.authorization.k8s.io\", \"kind\": \""
        + roleKind
        + "\", \"name\": \""
        + roleName
        + "\"}, \"subjects\": "
        + subjects
        + "}";
  }

  @Test
  void theBrokersMintedRbac_isRecognisedByCel_exactlyAsByTheWebhook() throws Exception {
    Set<String> sa = Set.of("system:serviceaccounts", "system:authenticated");
    String minted =
        "[{\"kind\": \"ServiceAccount\", \"namespace\": \"seb-system\", \"name\": \"seb-exec-1a\"}]";
    agree("a minted Role", true, BROKER, sa, "CREATE", "roles", "seb-exec-1a", MINTED_ROLE);
    agree("a Role without rules", false, BROKER, sa, "CREATE", "roles", "seb-exec-1a", "{}");
    for (String broader :
        List.of(
            MINTED_ROLE.replace("\"apps\"", "\"*\""),
            MINTED_ROLE.replace("[\"web\"]", "[\"web\", \"api\"]"),
            MINTED_ROLE.replace("\"patch\"", "\"escalate\""),
            MINTED_ROLE.replace("\"deployments/scale\"", "\"pods/exec\""),
            MINTED_ROLE.replace(", \"resourceNames\": [\"web\"]", ""))) {
      agree(broader, false, BROKER, sa, "CREATE", "roles", "seb-exec-1a", broader);
    }
    agree(
        "a minted RoleBinding",
        true,
        BROKER,
        sa,
        "CREATE",
        "rolebindings",
        "seb-exec-1a",
        binding("Role", "seb-exec-1a", minted));
    agree("revoking a binding", true, BROKER, sa, "DELETE", "rolebindings", "seb-exec-1a", null);
    agree("revoking a Role", true, BROKER, sa, "DELETE", "roles", "seb-exec-1a", null);
    agree(
        "a binding to a ClusterRole",
        false,
        BROKER,
        sa,
        "CREATE",
        "rolebindings",
        "seb-exec-1a",
        binding("ClusterRole", "seb-exec-1a", minted));
    agree(
        "a binding to an agent",
        false,
        BROKER,
        sa,
        "CREATE",
        "rolebindings",
        "seb-exec-1a",
        binding(
            "Role",
            "seb-exec-1a",
            "[{\"kind\": \"ServiceAccount\", \"namespace\": \"agents\", \"name\": \"seb-exec-1a\"}]"));
    agree(
        "a binding with no subjects",
        false,
        BROKER,
        sa,
        "CREATE",
        "rolebindings",
        "seb-exec-1a",
        binding("Role", "seb-exec-1a", "[]"));
    agree("a Role by another name", false, BROKER, sa, "CREATE", "roles", "admin", "{}");
    agree(
        "an agent's minted-looking Role",
        false,
        "system:serviceaccount:agents:planner",
        sa,
        "CREATE",
        "roles",
        "seb-exec-1a",
        "{}");
    agree(
        "the broker's name without the ServiceAccount group",
        false,
        BROKER,
        Set.of("system:authenticated"),
        "CREATE",
        "roles",
        "seb-exec-1a",
        "{}");
    agree("the broker on a workload", false, BROKER, sa, "UPDATE", "deployments", "web", "{}");
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
    assertThat(cel(Map.of("username", EXEC, "groups", List.copyOf(groups), "extra", TOKEN_EXTRA)))
        .isTrue();
    assertThat(webhook(EXEC, groups)).isTrue();
  }

  @Test
  void theServiceAccountImpersonated_withoutItsTokensCredentialId_doesNot() throws Exception {
    // whoever may impersonate ServiceAccounts (the stock edit role, in its namespace) gets the
    // name and groups, never the credential id of a token the API server issued
    Set<String> groups = Set.of("system:serviceaccounts", "system:authenticated");
    assertThat(cel(Map.of("username", EXEC, "groups", List.copyOf(groups)))).isFalse();
    boolean webhook =
        new AdmissionRules(POLICY)
            .protectedNamespace(
                new AdmissionRequest(
                    "UPDATE",
                    "",
                    "configmaps",
                    null,
                    "shop",
                    "settings",
                    EXEC,
                    groups,
                    null,
                    null,
                    false))
            .equals(new AdmissionVerdict.Allow());
    assertThat(webhook).isFalse();
  }

  @Test
  void theSameNameWithoutTheServiceAccountGroup_doesNot() throws Exception {
    // a client certificate can carry any name, but not the group the API server gives tokens
    Set<String> groups = Set.of("system:authenticated");
    assertThat(cel(Map.of("username", EXEC, "groups", List.copyOf(groups), "extra", TOKEN_EXTRA)))
        .isFalse();
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
      assertThat(cel(Map.of("username", user, "groups", List.copyOf(groups), "extra", TOKEN_EXTRA)))
          .as(user)
          .isFalse();
      assertThat(webhook(user, groups)).as(user).isFalse();
    }
  }

  /**
   * With both match conditions, the API server skips the webhook exactly when the webhook would
   * plainly allow a protected write (no warning): for every user and group set, under the defaults
   * and under a policy that exempts every ServiceAccount.
   */
  @Test
  void theMatchConditions_skipTheWebhookExactlyWhereItAllows() throws Exception {
    AdmissionPolicy everyServiceAccount =
        new AdmissionPolicy(
            "seb-system",
            "seb-broker",
            "seb-exec-",
            List.of("system:serviceaccount:*", "kubelet"),
            Set.of(),
            List.of(),
            Set.of("seb:break-glass"),
            Set.of(),
            Set.of(),
            Set.of());
    List<String> users =
        List.of(
            EXEC,
            BROKER,
            "system:serviceaccount:kube-system:replicaset-controller",
            "system:serviceaccount:kube-systemx:replicaset-controller",
            "system:serviceaccount:agents:planner",
            "system:kube-controller-manager",
            "system:kube-controller-manager-2",
            "system:kube-scheduler",
            "system:node:worker-1",
            "kubelet",
            "alice");
    List<Set<String>> groupSets =
        List.of(
            Set.of(),
            Set.of("system:authenticated"),
            Set.of("system:serviceaccounts", "system:authenticated"),
            Set.of("system:nodes", "system:authenticated"),
            Set.of("seb:break-glass"),
            Set.of("system:nodes", "seb:break-glass"));
    int skipped = 0;
    for (AdmissionPolicy policy : List.of(POLICY, everyServiceAccount)) {
      for (String user : users) {
        for (Set<String> groups : groupSets) {
          Map<String, Object> request =
              Map.of(
                  "userInfo",
                  Map.of("username", user, "groups", List.copyOf(groups), "extra", TOKEN_EXTRA));
          boolean skips =
              eval(policy.executionIdentityCel(), request, null)
                  || eval(policy.clusterComponentCel(), request, null);
          boolean allows =
              new AdmissionRules(policy)
                  .protectedNamespace(
                      new AdmissionRequest(
                          "UPDATE",
                          "",
                          "configmaps",
                          null,
                          "shop",
                          "settings",
                          user,
                          groups,
                          null,
                          null))
                  .equals(new AdmissionVerdict.Allow());
          assertThat(skips)
              .as(user + " " + groups + " under " + policy.exemptUsers())
              .isEqualTo(allows);
          skipped += skips ? 1 : 0;
        }
      }
    }
    assertThat(skipped).as("some requests skip the webhook, some do not").isBetween(10, 100);
  }

  /**
   * The registration for seb's own kinds skips the webhook only where it admits plainly, and for
   * records created by the broker, exactly there.
   */
  @Test
  void theSebKindsMatchConditions_skipTheWebhookOnlyWhereItAllows() throws Exception {
    List<String> users = List.of(BROKER, "system:serviceaccount:agents:planner", "alice");
    List<Set<String>> groupSets =
        List.of(
            Set.of("system:serviceaccounts", "system:authenticated"),
            Set.of("system:authenticated"),
            Set.of("system:masters"),
            Set.of("seb:record-retention"));
    int skipped = 0;
    for (String resource :
        List.of(
            "mandates",
            "executioncontracts",
            "trustanchors",
            "executionrecords",
            "mutationproposals")) {
      for (String operation : List.of("CREATE", "UPDATE", "DELETE")) {
        for (String user : users) {
          for (Set<String> groups : groupSets) {
            Map<String, Object> request =
                Map.of(
                    "userInfo",
                    Map.of("username", user, "groups", List.copyOf(groups), "extra", TOKEN_EXTRA),
                    "operation",
                    operation,
                    "resource",
                    Map.of("group", "seb.dev", "resource", resource));
            boolean skips = true;
            for (String condition : POLICY.sebKindsMatchConditions().values()) {
              skips &= eval(condition, request, null);
            }
            skips = !skips; // the webhook is called only when every condition holds
            String what = operation + " " + resource + " by " + user + " " + groups;
            boolean plain = resource.equals("executionrecords") && operation.equals("CREATE");
            if (!skips && !plain) {
              continue; // the webhook decides; what it says is AdmissionWebhookIT's business
            }
            boolean allows =
                new AdmissionRules(POLICY)
                    .sebKinds(
                        new AdmissionRequest(
                            operation, "seb.dev", resource, null, "shop", "x", user, groups, null,
                            null))
                    .equals(new AdmissionVerdict.Allow());
            assertThat(skips).as(what).isEqualTo(allows);
            skipped += skips ? 1 : 0;
          }
        }
      }
    }
    // the broker's own token creating a record (1); a proposal created goes to the webhook, which
    // checks the submitter stamp after all mutating webhooks ran, and a proposal deleted too, which
    // only its submitter, an admin or the cluster's components may do
    assertThat(skipped).isEqualTo(1);
  }

  @Test
  void noExemptions_matchNoOne() throws Exception {
    AdmissionPolicy none =
        new AdmissionPolicy(
            "seb-system",
            "seb-broker",
            "seb-exec-",
            List.of(),
            Set.of(),
            List.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of());
    Map<String, Object> request =
        Map.of(
            "userInfo",
            Map.of(
                "username", "system:kube-controller-manager", "groups", List.of("system:nodes")));
    assertThat(eval(none.clusterComponentCel(), request, null)).isFalse();
    assertThat(eval(POLICY.clusterComponentCel(), request, null)).isTrue();
    assertThat(eval(POLICY.clusterComponentCel(), Map.of("userInfo", Map.of()), null))
        .as("neither name nor groups")
        .isFalse();
  }

  @Test
  void aNamespaceThatCannotBeQuoted_isRefused() {
    AdmissionPolicy odd =
        new AdmissionPolicy(
            "it's",
            "seb-broker",
            "seb-exec-",
            List.of(),
            Set.of(),
            List.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of());
    assertThatThrownBy(odd::executionIdentityCel).isInstanceOf(IllegalArgumentException.class);
  }
}
