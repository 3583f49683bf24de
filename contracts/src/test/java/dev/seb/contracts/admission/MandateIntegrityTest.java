package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seb.contracts.canonical.CanonicalJson;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Who writes a Mandate and how, through {@link AdmissionRules#sebKinds}: the principal it names or
 * an admin, amendments only narrowing, a revocation set once and in the revoker's own name, a
 * revoked mandate frozen. Each attack sits next to the write it imitates.
 */
class MandateIntegrityTest {

  private static final AdmissionRules RULES = new AdmissionRules(AdmissionPolicy.defaults());
  private static final Set<String> USERS = Set.of("system:authenticated");
  private static final Set<String> ADMINS = Set.of("seb:admins", "system:authenticated");

  private static final String MANDATE =
      """
      {"metadata": {"name": "planner", "namespace": "shop"},
       "spec": {
         "principal": {"subject": "alice"},
         "agent": {"serviceAccount": "agents/planner"},
         "scope": [{"contractRef": "scale-web", "operations": ["scale"],
                    "constraints": {"minReplicas": 2, "maxReplicas": 6}},
                   {"contractRef": "patch-web", "operations": ["patch"],
                    "constraints": {"allowedPaths": ["/spec/template/metadata/annotations/*"]}}],
         "conditions": [{"name": "office-hours", "expression": "true"}],
         "lifecycle": {"notAfter": "2027-01-01T00:00:00Z", "terminalEvents": ["done"]},
         "delegation": {"permitted": true, "maxAdditionalHops": 1}
       },
       "status": {"phase": "Active"}}
      """;

  private static ObjectNode mandate() {
    try {
      return (ObjectNode) CanonicalJson.mapper().readTree(MANDATE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode amended(Consumer<ObjectNode> change) {
    ObjectNode m = mandate();
    change.accept((ObjectNode) m.get("spec"));
    return m;
  }

  private static AdmissionVerdict write(
      String op, String user, Set<String> groups, JsonNode before, JsonNode after) {
    return RULES.sebKinds(
        new AdmissionRequest(
            op, "seb.dev", "mandates", null, "shop", "planner", user, groups, after, before));
  }

  private static AdmissionVerdict update(String user, Set<String> groups, JsonNode after) {
    return write("UPDATE", user, groups, mandate(), after);
  }

  private static void allowed(AdmissionVerdict verdict) {
    assertThat(verdict).isEqualTo(new AdmissionVerdict.Allow());
  }

  private static void denied(AdmissionVerdict verdict, String... parts) {
    assertThat(verdict).isInstanceOf(AdmissionVerdict.Deny.class);
    assertThat(((AdmissionVerdict.Deny) verdict).message()).contains(parts);
  }

  @Test
  void onlyTheNamedPrincipalOrAnAdmin_createsChangesOrDeletes() {
    allowed(write("CREATE", "alice", USERS, null, mandate()));
    allowed(write("CREATE", "root", ADMINS, null, mandate()));
    denied(
        write("CREATE", "bob", USERS, null, mandate()),
        "bob may not create Mandate shop/planner",
        "spec.principal.subject alice");
    allowed(write("DELETE", "alice", USERS, mandate(), null));
    denied(write("DELETE", "bob", USERS, mandate(), null), "spec.principal.subject alice");
    allowed(update("alice", USERS, amended(s -> s.with("purpose").put("objective", "calmer"))));
  }

  @Test
  void anotherPrincipal_cannotRewriteAMandate_norTakeItOverByNamingHerself() {
    // bob points alice's mandate at his own agent and extends it a year
    JsonNode rewritten =
        amended(
            s -> {
              s.with("agent").put("serviceAccount", "agents/bobs-bot");
              s.with("lifecycle").put("notAfter", "2028-01-01T00:00:00Z");
            });
    denied(update("bob", USERS, rewritten), "bob may not update", "spec.principal.subject alice");
    // naming himself as principal does not help: the stored mandate's principal counts
    denied(
        update("bob", USERS, amended(s -> s.with("principal").put("subject", "bob"))),
        "spec.principal.subject alice");
    denied(
        update("alice", USERS, amended(s -> s.with("principal").put("subject", "bob"))),
        "spec.principal cannot be changed");
    denied(
        update("root", ADMINS, amended(s -> s.with("agent").put("serviceAccount", "agents/x"))),
        "spec.agent cannot be changed");
    denied(
        update("alice", USERS, amended(s -> s.put("parentRef", "other"))),
        "spec.parentRef cannot be changed");
  }

  @Test
  void aMandateWithoutAPrincipal_isNeverWritten() {
    ObjectNode nameless = mandate();
    ((ObjectNode) nameless.get("spec")).remove("principal");
    denied(write("CREATE", "root", ADMINS, null, nameless), "names no spec.principal.subject");
    denied(write("DELETE", "root", ADMINS, nameless, null), "names no spec.principal.subject");
  }

  @Test
  void amendments_mayOnlyNarrow_forThePrincipal_andForAnAdmin() {
    allowed(
        update(
            "alice",
            USERS,
            amended(
                s -> {
                  ((ObjectNode) s.get("scope").get(0).get("constraints")).put("maxReplicas", 4);
                  ((com.fasterxml.jackson.databind.node.ArrayNode) s.get("scope")).remove(1);
                  s.with("lifecycle").put("notAfter", "2026-12-01T00:00:00Z");
                  s.withArray("conditions")
                      .addObject()
                      .put("name", "small")
                      .put("expression", "proposal.spec.operation.replicas < 5");
                  s.withArray("/lifecycle/terminalEvents").add("cancelled");
                  s.with("delegation").put("permitted", false).remove("maxAdditionalHops");
                })));
    for (var who : java.util.List.of("alice", "root")) {
      Set<String> groups = who.equals("root") ? ADMINS : USERS;
      denied(
          update(
              who,
              groups,
              amended(
                  s ->
                      ((ObjectNode) s.get("scope").get(0).get("constraints"))
                          .put("maxReplicas", 60))),
          "spec.scope[scale-web].constraints: maxReplicas 60 is above 6",
          "create a new mandate to broaden");
      denied(
          update(
              who,
              groups,
              amended(s -> s.withArray("scope").addObject().put("contractRef", "delete-db"))),
          "spec.scope[delete-db] adds a contract",
          "create a new mandate to broaden");
      denied(
          update(
              who,
              groups,
              amended(
                  s -> ((ObjectNode) s.get("scope").get(0)).withArray("operations").add("delete"))),
          "spec.scope[scale-web].operations");
      denied(
          update(
              who, groups, amended(s -> ((ObjectNode) s.get("scope").get(0)).remove("operations"))),
          "spec.scope[scale-web].operations [] are not within [scale]");
      denied(
          update(
              who,
              groups,
              amended(s -> ((ObjectNode) s.get("scope").get(1)).remove("constraints"))),
          "spec.scope[patch-web].constraints: no constraints");
      denied(
          update(
              who,
              groups,
              amended(s -> s.with("lifecycle").put("notAfter", "2028-01-01T00:00:00Z"))),
          "spec.lifecycle.notAfter 2028-01-01T00:00:00Z is later than 2027-01-01T00:00:00Z");
      denied(
          update(who, groups, amended(s -> s.with("lifecycle").put("notAfter", "soon"))),
          "spec.lifecycle.notAfter is not an RFC 3339 instant");
      denied(
          update(who, groups, amended(s -> s.withArray("conditions").removeAll())),
          "spec.conditions: condition office-hours is removed or changed");
      denied(
          update(
              who,
              groups,
              amended(s -> ((ObjectNode) s.get("conditions").get(0)).put("expression", "1 == 1"))),
          "spec.conditions");
      denied(
          update(who, groups, amended(s -> s.with("lifecycle").remove("terminalEvents"))),
          "spec.lifecycle.terminalEvents");
      denied(
          update(who, groups, amended(s -> s.with("lifecycle").put("onExpiry", "suspend"))),
          "spec.lifecycle.onExpiry");
      denied(
          update(who, groups, amended(s -> s.with("delegation").put("maxAdditionalHops", 3))),
          "spec.delegation allows delegation with maxAdditionalHops 3");
    }
  }

  @Test
  void aRevokedMandate_isDeletedOnlyByAnAdmin_soThatItCannotBeCreatedAgainUnrevoked() {
    ObjectNode revoked =
        amended(
            s -> s.putObject("revocation").put("requestedBy", "root").put("reason", "incident"));
    denied(write("DELETE", "alice", USERS, revoked, null), "deleted only by an admin");
    allowed(write("DELETE", "root", ADMINS, revoked, null));
    ObjectNode cascaded = mandate();
    cascaded.putObject("status").put("phase", "Revoked");
    denied(write("DELETE", "alice", USERS, cascaded, null), "deleted only by an admin");
  }

  @Test
  void revocation_isSetOnce_inTheRevokersOwnName_andRevokedIsFinal() {
    ObjectNode revoked =
        amended(
            s -> s.putObject("revocation").put("requestedBy", "root").put("reason", "incident"));
    allowed(update("root", ADMINS, revoked));
    denied(update("bob", USERS, revoked), "spec.principal.subject alice");
    // alice revokes in her own name, not in the admin's
    denied(update("alice", USERS, revoked), "spec.revocation.requestedBy is root");
    // an admin may record a revocation on someone's behalf
    allowed(
        update(
            "root",
            ADMINS,
            amended(
                s ->
                    s.putObject("revocation").put("requestedBy", "alice").put("reason", "asked"))));
    // the principal removes the admin's revocation
    denied(
        write("UPDATE", "alice", USERS, revoked, mandate()),
        "it is revoked",
        "create a new mandate");
    // or narrows it otherwise: frozen, even for an admin
    ObjectNode narrower = revoked.deepCopy();
    ((ObjectNode) narrower.get("spec").get("lifecycle")).put("notAfter", "2026-01-01T00:00:00Z");
    denied(write("UPDATE", "root", ADMINS, revoked, narrower), "it is revoked");
    // metadata stays writable: a label or a finalizer
    ObjectNode labelled = revoked.deepCopy();
    labelled.with("metadata").with("labels").put("team", "shop");
    allowed(write("UPDATE", "alice", USERS, revoked, labelled));
    // revoked by cascade (the operator's status) is final too
    ObjectNode cascaded = mandate();
    cascaded.with("status").put("phase", "Revoked");
    denied(write("UPDATE", "alice", USERS, cascaded, amended(s -> s.put("x", 1))), "it is revoked");
    // an agent still writes no mandate at all
    denied(
        write(
            "UPDATE",
            "system:serviceaccount:agents:planner",
            Set.of("system:serviceaccounts"),
            mandate(),
            revoked),
        "agents cannot grant");
  }

  @Test
  void unknownFields_mayNotChange() {
    denied(
        update("alice", USERS, amended(s -> s.put("contextRef", "elsewhere"))),
        "spec.contextRef cannot be changed");
  }
}
