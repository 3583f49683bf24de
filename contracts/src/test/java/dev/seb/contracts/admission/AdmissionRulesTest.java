package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.canonical.CanonicalJson;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** seb's admission rules, case by case, with the attempts to get around them next to each. */
class AdmissionRulesTest {

  private final AdmissionRules rules = new AdmissionRules(AdmissionPolicy.defaults());

  private static final String AGENT = "system:serviceaccount:agents:planner";
  private static final Set<String> SA_GROUPS =
      Set.of("system:serviceaccounts", "system:authenticated");

  private static AdmissionRequest request(
      String op, String group, String resource, String sub, String user, Set<String> groups) {
    return new AdmissionRequest(op, group, resource, sub, "shop", "web", user, groups, null, null);
  }

  private static AdmissionRequest update(
      String group,
      String resource,
      String user,
      Set<String> groups,
      String oldJson,
      String newJson) {
    return new AdmissionRequest(
        "UPDATE", group, resource, null, "shop", "x", user, groups, json(newJson), json(oldJson));
  }

  private static JsonNode json(String text) {
    try {
      return text == null ? null : CanonicalJson.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void assertDenied(AdmissionVerdict verdict, String... parts) {
    assertThat(verdict).isInstanceOf(AdmissionVerdict.Deny.class);
    assertThat(((AdmissionVerdict.Deny) verdict).message()).contains(parts);
  }

  @Test
  void agentPatchingAProtectedDeployment_isDenied_withHowToProposeInstead() {
    assertDenied(
        rules.protectedNamespace(request("UPDATE", "apps", "deployments", null, AGENT, SA_GROUPS)),
        AGENT,
        "update deployments shop/web",
        "namespace shop is protected by seb",
        "MutationProposal");
    assertDenied(
        rules.protectedNamespace(
            request("UPDATE", "apps", "deployments", "scale", AGENT, SA_GROUPS)),
        "deployments/scale");
    assertDenied(
        rules.protectedNamespace(
            request("DELETE", "", "configmaps", null, "alice", Set.of("system:authenticated"))),
        "alice");
  }

  @Test
  void brokerMintedExecutionIdentity_isAllowed() {
    assertThat(
            rules.protectedNamespace(
                request(
                    "UPDATE",
                    "apps",
                    "deployments",
                    "scale",
                    "system:serviceaccount:seb-system:seb-exec-7f3a",
                    SA_GROUPS)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
  }

  @Test
  void lookalikeExecutionIdentities_areDenied() {
    assertDenied(
        rules.protectedNamespace(
            request(
                "UPDATE",
                "apps",
                "deployments",
                null,
                "system:serviceaccount:agents:seb-exec-7f3a",
                SA_GROUPS)),
        "protected by seb");
    assertDenied(
        rules.protectedNamespace(
            request(
                "UPDATE",
                "apps",
                "deployments",
                null,
                "system:serviceaccount:seb-system:seb-exec-",
                SA_GROUPS)),
        "protected by seb");
    assertDenied(
        rules.protectedNamespace(
            request("UPDATE", "apps", "deployments", null, "seb-exec-7f3a", Set.of())),
        "protected by seb");
  }

  @Test
  void brokersOwnIdentity_isDenied() {
    assertDenied(
        rules.protectedNamespace(
            request(
                "UPDATE",
                "apps",
                "deployments",
                null,
                "system:serviceaccount:seb-system:seb-broker",
                SA_GROUPS)),
        "the broker's own identity never mutates");
  }

  @Test
  void clusterControllersPass_butStatusIsNotExemptAndAnAgentCannotBorrowTheExemption() {
    assertDenied(
        rules.protectedNamespace(
            request("UPDATE", "apps", "deployments", "status", AGENT, SA_GROUPS)),
        "update deployments/status",
        "protected by seb");
    assertDenied(
        rules.protectedNamespace(request("UPDATE", "", "pods", "status", AGENT, SA_GROUPS)),
        "protected by seb");
    for (String[] connect :
        new String[][] {
          {"pods", "exec"},
          {"pods", "attach"},
          {"pods", "portforward"},
          {"pods", "proxy"},
          {"services", "proxy"}
        }) {
      assertDenied(
          rules.protectedNamespace(
              request("CONNECT", "", connect[0], connect[1], AGENT, SA_GROUPS)),
          "connect " + connect[0] + "/" + connect[1]);
    }
    for (String[] create :
        new String[][] {
          {"", "serviceaccounts", "token"},
          {"", "pods", "eviction"},
          {"", "replicationcontrollers", null},
          {"example.com", "widgets", null}
        }) {
      assertDenied(
          rules.protectedNamespace(
              request("CREATE", create[0], create[1], create[2], AGENT, SA_GROUPS)),
          "protected by seb");
    }
    assertThat(
            rules.protectedNamespace(
                request(
                    "UPDATE",
                    "apps",
                    "replicasets",
                    null,
                    "system:serviceaccount:kube-system:deployment-controller",
                    SA_GROUPS)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            rules.protectedNamespace(
                request(
                    "UPDATE", "", "pods", null, "system:node:worker-1", Set.of("system:nodes"))))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    // an agent named like a controller, but outside kube-system, gets nothing
    assertDenied(
        rules.protectedNamespace(
            request(
                "UPDATE",
                "apps",
                "deployments",
                null,
                "system:serviceaccount:agents:deployment-controller",
                SA_GROUPS)),
        "protected by seb");
    assertDenied(
        rules.protectedNamespace(
            request(
                "UPDATE",
                "apps",
                "deployments",
                null,
                "system:serviceaccount:kube-systemx:evil",
                SA_GROUPS)),
        "protected by seb");
  }

  @Test
  void breakGlass_passesWithAWarningAndAnAuditAnnotation() {
    AdmissionVerdict verdict =
        rules.protectedNamespace(
            request("UPDATE", "apps", "deployments", null, "oncall", Set.of("seb:break-glass")));
    assertThat(verdict).isInstanceOf(AdmissionVerdict.AllowWithWarning.class);
    var warning = (AdmissionVerdict.AllowWithWarning) verdict;
    assertThat(warning.warning()).contains("break-glass", "oncall");
    assertThat(warning.auditAnnotations()).containsKey(SebKeys.BREAK_GLASS);
  }

  @Test
  void sebsOwnKinds_areLeftToTheirOwnRules() {
    assertThat(
            rules.protectedNamespace(
                request("CREATE", "seb.dev", "mutationproposals", null, AGENT, SA_GROUPS)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
  }

  @Test
  void agentsCannotGrantCertifyOrTrustThemselves() {
    assertDenied(
        rules.sebKinds(request("CREATE", "seb.dev", "mandates", null, AGENT, SA_GROUPS)),
        "may not create mandates");
    assertDenied(
        rules.sebKinds(update("seb.dev", "mandates", AGENT, SA_GROUPS, "{}", "{}")),
        "may not update mandates");
    assertDenied(
        rules.sebKinds(request("CREATE", "seb.dev", "executioncontracts", null, AGENT, SA_GROUPS)),
        "executioncontracts");
    assertDenied(
        rules.sebKinds(request("DELETE", "seb.dev", "trustanchors", null, AGENT, SA_GROUPS)),
        "trustanchors");
    assertThat(
            rules.sebKinds(
                new AdmissionRequest(
                    "CREATE",
                    "seb.dev",
                    "mandates",
                    null,
                    "shop",
                    "m",
                    "alice",
                    Set.of("system:authenticated"),
                    json("{\"spec\": {\"principal\": {\"subject\": \"alice\"}}}"),
                    null)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
  }

  @Test
  void revocation_isSetOnlyByThePrincipalOrAnAdmin() {
    String before =
        "{\"spec\": {\"principal\": {\"subject\": \"alice\"}, \"lifecycle\": {\"notAfter\": \"2027-01-01T00:00:00Z\"}}}";
    String by =
        before.replace("}}}", "}, \"revocation\": {\"requestedBy\": \"%s\", \"reason\": \"r\"}}}");
    assertThat(
            rules.sebKinds(
                update("seb.dev", "mandates", "alice", Set.of(), before, by.formatted("alice"))))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            rules.sebKinds(
                update(
                    "seb.dev",
                    "mandates",
                    "root",
                    Set.of("system:masters"),
                    before,
                    by.formatted("root"))))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertDenied(
        rules.sebKinds(
            update("seb.dev", "mandates", "mallory", Set.of(), before, by.formatted("mallory"))),
        "only by the principal it names (spec.principal.subject alice)",
        "mallory");
    assertDenied(
        rules.sebKinds(
            update("seb.dev", "mandates", "mallory", Set.of(), by.formatted("alice"), before)),
        "spec.principal.subject alice");
    assertDenied(
        rules.sebKinds(
            update("seb.dev", "mandates", "alice", Set.of(), by.formatted("root"), before)),
        "it is revoked");
  }

  @Test
  void recordsAreWrittenOnlyByTheBroker_andNeverChanged() {
    assertThat(
            rules.sebKinds(
                request(
                    "CREATE",
                    "seb.dev",
                    "executionrecords",
                    null,
                    "system:serviceaccount:seb-system:seb-broker",
                    SA_GROUPS)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertDenied(
        rules.sebKinds(request("CREATE", "seb.dev", "executionrecords", null, AGENT, SA_GROUPS)),
        "only the broker");
    // a client certificate can carry the broker's name, but not the group of ServiceAccount tokens
    assertDenied(
        rules.sebKinds(
            request(
                "CREATE",
                "seb.dev",
                "executionrecords",
                null,
                "system:serviceaccount:seb-system:seb-broker",
                Set.of("system:authenticated"))),
        "only the broker");
    assertDenied(
        rules.sebKinds(
            request(
                "DELETE",
                "seb.dev",
                "executionrecords",
                null,
                "system:serviceaccount:seb-system:seb-broker",
                SA_GROUPS)),
        "never deleted");
    assertDenied(
        rules.sebKinds(
            request(
                "UPDATE", "seb.dev", "executionrecords", null, "alice", Set.of("system:masters"))),
        "never changed");
    assertThat(
            rules.sebKinds(
                request(
                    "DELETE",
                    "seb.dev",
                    "executionrecords",
                    null,
                    "archiver",
                    Set.of("seb:record-retention"))))
        .isInstanceOf(AdmissionVerdict.Allow.class);
  }

  @Test
  void submitterStamp_cannotBeChangedOrRemoved() {
    String stamped =
        "{\"metadata\": {\"annotations\": {\"seb.dev/submitted-by\": \"" + AGENT + "\"}}}";
    assertThat(
            rules.sebKinds(
                update("seb.dev", "mutationproposals", AGENT, SA_GROUPS, stamped, stamped)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertDenied(
        rules.sebKinds(
            update(
                "seb.dev",
                "mutationproposals",
                AGENT,
                SA_GROUPS,
                stamped,
                "{\"metadata\": {\"annotations\": {\"seb.dev/submitted-by\": \"alice\"}}}")),
        SebKeys.SUBMITTED_BY);
    assertDenied(
        rules.sebKinds(
            update(
                "seb.dev", "mutationproposals", AGENT, SA_GROUPS, stamped, "{\"metadata\": {}}")),
        "cannot be changed");
  }

  @Test
  void newProposal_isStampedWithItsCreator_overwritingAForgedValue() {
    var forged =
        new AdmissionRequest(
            "CREATE",
            "seb.dev",
            "mutationproposals",
            null,
            "shop",
            "p",
            AGENT,
            SA_GROUPS,
            json("{\"metadata\": {\"annotations\": {\"seb.dev/submitted-by\": \"alice\"}}}"),
            null);
    assertThat(AdmissionRules.stampSubmitter(forged).toString())
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/metadata/annotations/seb.dev~1submitted-by\",\"value\":\""
                + AGENT
                + "\"}]");
    var bare =
        new AdmissionRequest(
            "CREATE",
            "seb.dev",
            "mutationproposals",
            null,
            "shop",
            "p",
            AGENT,
            SA_GROUPS,
            json("{\"metadata\": {}}"),
            null);
    assertThat(AdmissionRules.stampSubmitter(bare).toString())
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"seb.dev/submitted-by\":\""
                + AGENT
                + "\"}}]");
  }

  @Test
  void aProposal_isWithdrawnOnlyByItsSubmitterAnAdminOrTheClustersComponents() {
    var stored =
        json("{\"metadata\": {\"annotations\": {\"seb.dev/submitted-by\": \"" + AGENT + "\"}}}");
    java.util.function.BiFunction<String, Set<String>, AdmissionVerdict> delete =
        (user, groups) ->
            rules.sebKinds(
                new AdmissionRequest(
                    "DELETE",
                    "seb.dev",
                    "mutationproposals",
                    null,
                    "shop",
                    "p",
                    user,
                    groups,
                    null,
                    stored));
    assertThat(delete.apply(AGENT, SA_GROUPS)).isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(delete.apply("root", Set.of("seb:admins")))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(delete.apply("system:serviceaccount:kube-system:namespace-controller", SA_GROUPS))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertDenied(
        delete.apply("system:serviceaccount:agents:rival", SA_GROUPS),
        "withdrawn only by its submitter");
  }

  @Test
  void trustAnchors_areWrittenOnlyByTheAdminGroups() {
    assertDenied(
        rules.sebKinds(
            request(
                "CREATE",
                "seb.dev",
                "trustanchors",
                null,
                "alice",
                Set.of("system:authenticated"))),
        "root of trust");
    assertThat(
            rules.sebKinds(
                request("CREATE", "seb.dev", "trustanchors", null, "root", Set.of("seb:admins"))))
        .isInstanceOf(AdmissionVerdict.Allow.class);
  }

  @Test
  void anImpersonatedServiceAccount_neitherActsAsAnExemptionNorProposes() {
    // stock edit may impersonate the namespace's ServiceAccounts: name and groups, but no token
    AdmissionRequest impersonatedProposal =
        new AdmissionRequest(
            "CREATE",
            "seb.dev",
            "mutationproposals",
            null,
            "shop",
            "p",
            AGENT,
            SA_GROUPS,
            json(
                "{\"metadata\": {\"annotations\": {\"seb.dev/submitted-by\": \"" + AGENT + "\"}}}"),
            null,
            false);
    assertDenied(rules.sebKinds(impersonatedProposal), "is impersonated");
    // nor does anyone impersonating seb's own components write their status or records
    assertDenied(
        rules.sebKinds(
            new AdmissionRequest(
                "UPDATE",
                "seb.dev",
                "mandates",
                "status",
                "shop",
                "m",
                "system:serviceaccount:seb-system:seb-operator",
                SA_GROUPS,
                null,
                null,
                false)),
        "written only by seb's own component");
    assertDenied(
        rules.sebKinds(
            new AdmissionRequest(
                "CREATE",
                "seb.dev",
                "executionrecords",
                null,
                "shop",
                "r",
                "system:serviceaccount:seb-system:seb-broker",
                SA_GROUPS,
                null,
                null,
                false)),
        "only the broker");
    assertDenied(
        rules.protectedNamespace(
            new AdmissionRequest(
                "UPDATE",
                "apps",
                "deployments",
                null,
                "shop",
                "web",
                "system:serviceaccount:seb-system:seb-exec-7f3a",
                SA_GROUPS,
                null,
                null,
                false)),
        "protected by seb");
    assertDenied(
        rules.protectedNamespace(
            new AdmissionRequest(
                "UPDATE",
                "apps",
                "deployments",
                null,
                "shop",
                "web",
                "system:serviceaccount:kube-system:deployment-controller",
                SA_GROUPS,
                null,
                null,
                false)),
        "protected by seb");
  }

  @Test
  void executionIdentityName_withoutTheServiceAccountGroup_isDenied() {
    assertDenied(
        rules.protectedNamespace(
            request(
                "UPDATE",
                "apps",
                "deployments",
                null,
                "system:serviceaccount:seb-system:seb-exec-7f3a",
                Set.of("system:authenticated"))),
        "protected by seb");
  }

  private static AdmissionRequest rbac(String op, String resource, String name, String json) {
    return new AdmissionRequest(
        op,
        "rbac.authorization.k8s.io",
        resource,
        null,
        "shop",
        name,
        "system:serviceaccount:seb-system:seb-broker",
        SA_GROUPS,
        json(json),
        null);
  }

  private static final String MINTED_ROLE =
      "{\"rules\": [{\"apiGroups\": [\"apps\"], \"resources\": [\"deployments/scale\"],"
          + " \"resourceNames\": [\"web\"], \"verbs\": [\"patch\"]}]}";
  private static final String MINTED_BINDING =
      "{\"roleRef\": {\"apiGroup\": \"rbac.authorization.k8s.io\", \"kind\": \"Role\", \"name\":"
          + " \"seb-exec-1\"}, \"subjects\": [{\"kind\": \"ServiceAccount\", \"name\":"
          + " \"seb-exec-1\", \"namespace\": \"seb-system\"}]}";

  @Test
  void broker_mayMintAndRevokeExecutionRbacOfTheMintedShape() {
    assertThat(rules.protectedNamespace(rbac("CREATE", "roles", "seb-exec-1", MINTED_ROLE)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            rules.protectedNamespace(
                rbac(
                    "CREATE",
                    "roles",
                    "seb-exec-1",
                    "{\"rules\": [{\"apiGroups\": [\"\"], \"resources\": [\"pods\"],"
                        + " \"verbs\": [\"create\"]}]}")))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            rules.protectedNamespace(rbac("CREATE", "rolebindings", "seb-exec-1", MINTED_BINDING)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(rules.protectedNamespace(rbac("DELETE", "rolebindings", "seb-exec-1", null)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(rules.protectedNamespace(rbac("DELETE", "roles", "seb-exec-1", null)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
  }

  @Test
  void broker_cannotMintAnythingBroaderThanOneRuleForOneObjectAndVerb() {
    String[] roles = {
      "{}",
      "{\"rules\": []}",
      // wildcards anywhere
      MINTED_ROLE.replace("\"apps\"", "\"*\""),
      MINTED_ROLE.replace("\"deployments/scale\"", "\"*\""),
      MINTED_ROLE.replace("\"deployments/scale\"", "\"deployments/*\""),
      MINTED_ROLE.replace("\"patch\"", "\"*\""),
      // more than one of anything
      MINTED_ROLE.replace("[\"web\"]", "[\"web\", \"api\"]"),
      MINTED_ROLE.replace("[\"patch\"]", "[\"patch\", \"delete\"]"),
      MINTED_ROLE.replace("[\"apps\"]", "[\"apps\", \"\"]"),
      MINTED_ROLE.replace(
          "}]}", "}, " + MINTED_ROLE.substring(11, MINTED_ROLE.length() - 2) + "]}"),
      // no name for a verb that can be restricted by name
      MINTED_ROLE.replace(", \"resourceNames\": [\"web\"]", ""),
      MINTED_ROLE.replace("[\"web\"]", "[\"\"]"),
      // verbs no operation needs; other subresources
      MINTED_ROLE.replace("\"patch\"", "\"get\""),
      MINTED_ROLE.replace("\"patch\"", "\"escalate\""),
      MINTED_ROLE.replace("\"patch\"", "\"impersonate\""),
      MINTED_ROLE.replace("\"deployments/scale\"", "\"pods/exec\"").replace("patch", "create"),
      MINTED_ROLE.replace("\"deployments/scale\"", "\"serviceaccounts/token\""),
      MINTED_ROLE.replace("\"patch\"", "\"delete\""),
      // create names nothing, and anything else is not create
      "{\"rules\": [{\"apiGroups\": [\"\"], \"resources\": [\"pods\"], \"resourceNames\":"
          + " [\"p\"], \"verbs\": [\"create\"]}]}",
      // non-resource URLs
      "{\"rules\": [{\"nonResourceURLs\": [\"/metrics\"], \"verbs\": [\"patch\"], \"apiGroups\":"
          + " [\"apps\"], \"resources\": [\"deployments\"], \"resourceNames\": [\"web\"]}]}",
    };
    for (String role : roles) {
      assertDenied(
          rules.protectedNamespace(rbac("CREATE", "roles", "seb-exec-1", role)),
          "the broker's own identity");
    }
    String[] bindings = {
      MINTED_BINDING.replace(
          "\"name\": \"seb-exec-1\", \"namespace\"", "\"name\": \"planner\", \"namespace\""),
      MINTED_BINDING.replace("\"seb-system\"", "\"agents\""),
      MINTED_BINDING.replace(
          "\"kind\": \"Role\", \"name\": \"seb-exec-1\"",
          "\"kind\": \"ClusterRole\", \"name\": \"seb-exec-1\""),
      MINTED_BINDING.replace(
          "\"kind\": \"Role\", \"name\": \"seb-exec-1\"",
          "\"kind\": \"Role\", \"name\": \"seb-exec-2\""),
      MINTED_BINDING.replace(
          "}]}", "}, {\"kind\": \"Group\", \"name\": \"system:authenticated\"}]}"),
      MINTED_BINDING.replace("\"ServiceAccount\"", "\"User\""),
    };
    for (String binding : bindings) {
      assertDenied(
          rules.protectedNamespace(rbac("CREATE", "rolebindings", "seb-exec-1", binding)),
          "the broker's own identity");
    }
    assertDenied(
        rules.protectedNamespace(rbac("CREATE", "roles", "admin-ish", MINTED_ROLE)),
        "the broker's own identity");
    assertDenied(
        rules.protectedNamespace(rbac("UPDATE", "roles", "seb-exec-1", MINTED_ROLE)),
        "the broker's own identity");
    assertDenied(
        rules.protectedNamespace(rbac("CREATE", "clusterroles", "seb-exec-1", MINTED_ROLE)),
        "the broker's own identity");
  }

  private static AdmissionRequest brokerLease(String op, String name) {
    return new AdmissionRequest(
        op,
        "coordination.k8s.io",
        "leases",
        null,
        "seb-system",
        name,
        "system:serviceaccount:seb-system:seb-broker",
        SA_GROUPS,
        json("{}"),
        null);
  }

  private static AdmissionRequest brokerAt(
      String op, String resource, String sub, String namespace, String name, String json) {
    return new AdmissionRequest(
        op,
        resource.startsWith("cluster") || resource.startsWith("role")
            ? "rbac.authorization.k8s.io"
            : "",
        resource,
        sub,
        namespace,
        name,
        "system:serviceaccount:seb-system:seb-broker",
        SA_GROUPS,
        json(json),
        null);
  }

  @Test
  void outsideProtectedNamespaces_theBrokerWritesOnlyItsExecutionAccountsTokensAndKey() {
    assertThat(
            rules.guard(
                brokerAt("CREATE", "serviceaccounts", null, "seb-system", "seb-exec-1", "{}")))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            rules.guard(
                brokerAt("CREATE", "serviceaccounts", "token", "seb-system", "seb-exec-1", "{}")))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            rules.guard(
                brokerAt("DELETE", "serviceaccounts", null, "seb-system", "seb-exec-1", null)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            rules.guard(
                brokerAt(
                    "CREATE",
                    "secrets",
                    null,
                    "seb-system",
                    "seb-broker-signing-key",
                    "{\"type\": \"Opaque\"}")))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    for (String op : java.util.List.of("CREATE", "UPDATE")) {
      assertThat(
              rules.guard(brokerAt(op, "configmaps", null, "seb-system", "seb-epoch-marks", "{}")))
          .isInstanceOf(AdmissionVerdict.Allow.class);
      assertThat(rules.guard(brokerLease(op, "seb-chain-seb-broker-0")))
          .isInstanceOf(AdmissionVerdict.Allow.class);
    }
    AdmissionRequest[] refused = {
      // a forged Helm release Secret: a later helm upgrade would take its values
      brokerAt(
          "CREATE",
          "secrets",
          null,
          "seb-system",
          "sh.helm.release.v1.seb.v2",
          "{\"type\": \"helm.sh/release.v1\"}"),
      brokerAt("UPDATE", "secrets", null, "seb-system", "seb-broker-signing-key", "{}"),
      brokerAt("CREATE", "configmaps", null, "seb-system", "other", "{}"),
      brokerAt("DELETE", "configmaps", null, "seb-system", "seb-epoch-marks", null),
      brokerAt("CREATE", "configmaps", null, "free", "seb-epoch-marks", "{}"),
      // the operator's leader Lease, or a chain Lease without an instance
      brokerLease("UPDATE", "seb-operator"),
      brokerLease("CREATE", "seb-chain-"),
      brokerLease("DELETE", "seb-chain-seb-broker-0"),
      brokerAt("CREATE", "roles", null, "kube-system", "seb-exec-1", MINTED_ROLE),
      brokerAt("CREATE", "rolebindings", null, "free", "seb-exec-1", MINTED_BINDING),
      brokerAt("CREATE", "clusterroles", null, null, "seb-exec-1", MINTED_ROLE),
      brokerAt("CREATE", "clusterrolebindings", null, null, "seb-exec-1", "{}"),
      brokerAt("CREATE", "serviceaccounts", "token", "seb-system", "seb-operator", "{}"),
      brokerAt("CREATE", "serviceaccounts", "token", "kube-system", "seb-exec-1", "{}"),
      brokerAt("CREATE", "serviceaccounts", null, "seb-system", "seb-operator2", "{}"),
      brokerAt("UPDATE", "serviceaccounts", null, "seb-system", "seb-exec-1", "{}"),
      brokerAt(
          "CREATE",
          "secrets",
          null,
          "seb-system",
          "operator-token",
          "{\"type\": \"kubernetes.io/service-account-token\"}"),
      brokerAt("CREATE", "secrets", null, "free", "x", "{\"type\": \"Opaque\"}"),
    };
    for (AdmissionRequest request : refused) {
      assertDenied(rules.guard(request), "the broker's own identity may not");
    }
    // the guard decides nothing for anyone else
    assertThat(
            rules.guard(
                new AdmissionRequest(
                    "CREATE",
                    "rbac.authorization.k8s.io",
                    "clusterroles",
                    null,
                    null,
                    "x",
                    "alice",
                    Set.of("system:authenticated"),
                    json("{}"),
                    null)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
  }

  private static AdmissionRequest namespace(
      String op, String user, String group, String oldLabels, String newLabels) {
    return new AdmissionRequest(
        op,
        "",
        "namespaces",
        null,
        null,
        "shop",
        user,
        Set.of(group, "system:authenticated"),
        newLabels == null ? null : json("{\"metadata\": {\"labels\": " + newLabels + "}}"),
        json("{\"metadata\": {\"labels\": " + oldLabels + "}}"));
  }

  @Test
  void protection_endsOnlyByAProtectionAdmin() {
    String on = "{\"seb.dev/protected\": \"true\", \"team\": \"a\"}";
    String off = "{\"team\": \"a\"}";
    assertDenied(
        rules.guard(namespace("UPDATE", "mallory", "editors", on, off)),
        "may not remove or change label seb.dev/protected of namespace shop",
        "seb:protection-admins");
    assertDenied(
        rules.guard(
            namespace("UPDATE", "mallory", "editors", on, "{\"seb.dev/protected\": \"false\"}")),
        "may not remove or change label");
    assertDenied(
        rules.guard(namespace("DELETE", "mallory", "system:masters", on, null)),
        "may not delete protected namespace shop");
    assertThat(rules.guard(namespace("UPDATE", "pat", "seb:protection-admins", on, off)))
        .isInstanceOf(AdmissionVerdict.AllowWithWarning.class);
    assertThat(rules.guard(namespace("DELETE", "pat", "seb:protection-admins", on, null)))
        .isInstanceOf(AdmissionVerdict.AllowWithWarning.class);
    // the status and finalize subresources carry the labels of their body too
    for (String sub : new String[] {"status", "finalize"}) {
      AdmissionRequest through =
          new AdmissionRequest(
              "UPDATE",
              "",
              "namespaces",
              sub,
              null,
              "shop",
              "mallory",
              Set.of("namespace-cleaners", "system:authenticated"),
              json("{\"metadata\": {\"labels\": " + off + "}}"),
              json("{\"metadata\": {\"labels\": " + on + "}}"));
      assertDenied(rules.guard(through), "may not remove or change label");
    }
    // adding protection, or other labels, is anyone's
    assertThat(rules.guard(namespace("UPDATE", "mallory", "editors", off, on)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            rules.guard(
                namespace("UPDATE", "mallory", "editors", on, on.replace("\"a\"", "\"b\""))))
        .isInstanceOf(AdmissionVerdict.Allow.class);
  }

  @Test
  void workloadExemptions_coverTheirOwnResourceTypesInTheirOwnNamespaceOnly() {
    AdmissionPolicy d = AdmissionPolicy.defaults();
    AdmissionRules exempting =
        new AdmissionRules(
            new AdmissionPolicy(
                d.sebNamespace(),
                d.brokerServiceAccount(),
                d.executionPrefix(),
                d.exemptUsers(),
                d.exemptGroups(),
                java.util.List.of(
                    WorkloadExemption.parse("shop/elector=coordination.k8s.io/leases,/events"),
                    WorkloadExemption.parse("shop/widgets=example.com/widgets/status")),
                d.breakGlassGroups(),
                d.adminGroups(),
                d.retentionGroups(),
                d.protectionAdminGroups()));
    String elector = "system:serviceaccount:shop:elector";
    assertThat(
            exempting.protectedNamespace(
                request("UPDATE", "coordination.k8s.io", "leases", null, elector, SA_GROUPS)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            exempting.protectedNamespace(request("CREATE", "", "events", null, elector, SA_GROUPS)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(
            exempting.protectedNamespace(
                request(
                    "UPDATE",
                    "example.com",
                    "widgets",
                    "status",
                    "system:serviceaccount:shop:widgets",
                    SA_GROUPS)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertDenied(
        exempting.protectedNamespace(
            request(
                "UPDATE",
                "example.com",
                "widgets",
                null,
                "system:serviceaccount:shop:widgets",
                SA_GROUPS)),
        "protected by seb");
    assertDenied(
        exempting.protectedNamespace(
            request("UPDATE", "apps", "deployments", null, elector, SA_GROUPS)),
        "protected by seb");
    // a user merely named like the ServiceAccount
    assertDenied(
        exempting.protectedNamespace(
            request(
                "UPDATE",
                "coordination.k8s.io",
                "leases",
                null,
                elector,
                Set.of("system:authenticated"))),
        "protected by seb");
    // another namespace's ServiceAccount of the same name
    assertDenied(
        exempting.protectedNamespace(
            new AdmissionRequest(
                "UPDATE",
                "coordination.k8s.io",
                "leases",
                null,
                "payments",
                "l",
                elector,
                SA_GROUPS,
                null,
                null)),
        "protected by seb");
  }

  @Test
  void aWorkloadExemptionWithAWildcardOrNoResource_isRefusedNamingTheEntry() {
    for (String entry :
        new String[] {
          "shop/elector=*/leases",
          "shop/elector=/*",
          "shop/elector=",
          "elector=/events",
          "shop/elector=leases"
        }) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkloadExemption.parse(entry))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("workload exemption");
    }
  }
}
