package dev.seb.contracts.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seb.contracts.canonical.CanonicalJson;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The status of seb's kinds is written only by the seb component that owns it, as a real
 * ServiceAccount; a new proposal reaches the validating webhook only stamped with its creator.
 */
class StatusAndStampTest {

  private static final AdmissionRules RULES = new AdmissionRules(AdmissionPolicy.defaults());
  private static final Set<String> SA = Set.of("system:serviceaccounts", "system:authenticated");
  private static final String BROKER = "system:serviceaccount:seb-system:seb-broker";
  private static final String OPERATOR = "system:serviceaccount:seb-system:seb-operator";
  private static final String AGENT = "system:serviceaccount:agents:planner";

  private static AdmissionVerdict status(String resource, String user, Set<String> groups) {
    return RULES.sebKinds(
        new AdmissionRequest(
            "UPDATE", "seb.dev", resource, "status", "shop", "x", user, groups, null, null));
  }

  private static void denied(AdmissionVerdict verdict, String... parts) {
    assertThat(verdict).isInstanceOf(AdmissionVerdict.Deny.class);
    assertThat(((AdmissionVerdict.Deny) verdict).message()).contains(parts);
  }

  @Test
  void eachStatus_isWrittenByItsComponentOnly() {
    for (String resource : Set.of("mandates", "executioncontracts", "trustanchors")) {
      assertThat(status(resource, OPERATOR, SA)).isEqualTo(new AdmissionVerdict.Allow());
      denied(status(resource, BROKER, SA), resource + "/status", OPERATOR);
    }
    for (String resource : Set.of("mutationproposals", "executionrecords")) {
      assertThat(status(resource, BROKER, SA)).isEqualTo(new AdmissionVerdict.Allow());
      denied(status(resource, OPERATOR, SA), BROKER);
    }
  }

  @Test
  void anAgentWithRbacOnStatus_anAdmin_andAUserNamedLikeTheOperator_areDenied() {
    denied(status("mandates", AGENT, SA), AGENT + " may not write mandates/status");
    denied(status("mutationproposals", AGENT, SA), "never set by hand");
    denied(status("mandates", "root", Set.of("system:masters", "seb:admins")), "root");
    // a client certificate can carry the operator's name, but not the ServiceAccounts' group
    denied(status("mandates", OPERATOR, Set.of("system:authenticated")), OPERATOR);
    denied(status("approvals", OPERATOR, SA), "no seb component writes it");
  }

  private static AdmissionVerdict created(String user, String stamp) {
    String object =
        stamp == null
            ? "{\"metadata\": {}}"
            : "{\"metadata\": {\"annotations\": {\"seb.dev/submitted-by\": \"" + stamp + "\"}}}";
    JsonNode tree;
    try {
      tree = CanonicalJson.mapper().readTree(object);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
    return RULES.sebKinds(
        new AdmissionRequest(
            "CREATE", "seb.dev", "mutationproposals", null, "shop", "p", user, SA, tree, null));
  }

  @Test
  void aNewProposal_mustCarryItsCreatorsStamp() {
    assertThat(created(AGENT, AGENT)).isEqualTo(new AdmissionVerdict.Allow());
    denied(
        created(AGENT, "system:serviceaccount:agents:other"),
        "is 'system:serviceaccount:agents:other' but the proposal is created by " + AGENT);
    denied(created(AGENT, null), "seb.dev/submitted-by] is missing");
  }
}
