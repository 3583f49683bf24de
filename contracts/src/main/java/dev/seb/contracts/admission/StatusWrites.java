package dev.seb.contracts.admission;

import java.util.Map;
import java.util.Optional;

/**
 * Who writes the status of seb's own kinds: only seb's components, each the kinds it owns. The
 * broker reports its decisions on proposals (and owns the records); the operator reports the phase
 * of mandates, the certification of contracts and the verified epochs of trust anchors. Status is
 * what humans and tools read, so nobody else writes it, admins included: a mandate set back to
 * {@code Active}, or a decision pre-empted on someone else's proposal, would mislead them.
 */
public final class StatusWrites {

  /** The components that write status. */
  public enum Component {
    BROKER,
    OPERATOR
  }

  /** seb's kinds (plural resource) by the one component that writes their status. */
  public static final Map<String, Component> WRITERS =
      Map.of(
          "mutationproposals", Component.BROKER,
          "executionrecords", Component.BROKER,
          "mandates", Component.OPERATOR,
          "executioncontracts", Component.OPERATOR,
          "trustanchors", Component.OPERATOR);

  private StatusWrites() {}

  /** The user name of a component's ServiceAccount under a policy. */
  public static String user(AdmissionPolicy policy, Component component) {
    return component == Component.BROKER ? policy.brokerUser() : policy.operatorUser();
  }

  /** The user name that writes a kind's status, if any component does. */
  public static Optional<String> writer(AdmissionPolicy policy, String resource) {
    return Optional.ofNullable(WRITERS.get(resource)).map(c -> user(policy, c));
  }

  /**
   * A write to the status subresource of a seb kind: allowed only to the component that owns that
   * kind's status, as a real ServiceAccount token ({@link AdmissionRequest#isServiceAccountToken}:
   * not a user merely named like the ServiceAccount, nor someone impersonating it).
   */
  public static AdmissionVerdict decide(AdmissionPolicy policy, AdmissionRequest request) {
    Optional<String> writer = writer(policy, request.resource());
    if (writer.isPresent()
        && writer.get().equals(request.username())
        && request.isServiceAccountToken()) {
      return new AdmissionVerdict.Allow();
    }
    return new AdmissionVerdict.Deny(
        "seb: "
            + request.username()
            + " may not write "
            + request.resource()
            + "/status: "
            + writer
                .map(w -> "it is written only by seb's own component " + w)
                .orElse("no seb component writes it")
            + "; status reports what seb decided and is never set by hand");
  }
}
