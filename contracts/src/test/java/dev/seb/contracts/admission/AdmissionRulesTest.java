package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
  void statusUpdatesAndClusterControllers_passButAnAgentCannotBorrowTheExemption() {
    assertThat(
            rules.protectedNamespace(
                request("UPDATE", "apps", "deployments", "status", AGENT, SA_GROUPS)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
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
    assertThat(warning.auditAnnotations()).containsKey("seb.dev/break-glass");
  }

  @Test
  void unprotectedKinds_areLeftAlone() {
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
        "seb.dev/submitted-by");
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

  @Test
  void broker_mayMintAndRevokeExecutionRbac_butNothingElse() {
    String minted =
        "{\"roleRef\": {\"kind\": \"Role\", \"name\": \"seb-exec-1\"}, \"subjects\": [{\"kind\": \"ServiceAccount\", \"name\": \"seb-exec-1\", \"namespace\": \"seb-system\"}]}";
    assertThat(rules.protectedNamespace(rbac("CREATE", "roles", "seb-exec-1", "{}")))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(rules.protectedNamespace(rbac("CREATE", "rolebindings", "seb-exec-1", minted)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertThat(rules.protectedNamespace(rbac("DELETE", "rolebindings", "seb-exec-1", null)))
        .isInstanceOf(AdmissionVerdict.Allow.class);
    assertDenied(
        rules.protectedNamespace(rbac("CREATE", "roles", "admin-ish", "{}")),
        "the broker's own identity");
    assertDenied(
        rules.protectedNamespace(
            rbac(
                "CREATE",
                "rolebindings",
                "seb-exec-2",
                minted.replace(
                    "\"name\": \"seb-exec-1\", \"namespace\"",
                    "\"name\": \"planner\", \"namespace\""))),
        "the broker's own identity");
    assertDenied(
        rules.protectedNamespace(
            rbac(
                "CREATE",
                "rolebindings",
                "seb-exec-3",
                minted.replace(
                    "\"kind\": \"Role\", \"name\": \"seb-exec-1\"",
                    "\"kind\": \"ClusterRole\", \"name\": \"cluster-admin\""))),
        "the broker's own identity");
  }
}
