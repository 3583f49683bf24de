package dev.seb.contracts.mandate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.contracts.ReasonCode;
import dev.seb.contracts.SebKeys;
import dev.seb.contracts.VerificationException;
import dev.seb.contracts.canonical.CanonicalJson;
import dev.seb.contracts.time.ClockLeeway;
import dev.seb.contracts.v1alpha1.Mandate;
import dev.seb.contracts.v1alpha1.MandateSpec;
import dev.seb.contracts.v1alpha1.MandateStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The lineage decided from the specs: the mandate and every ancestor, whatever their status says;
 * status can only make it stricter.
 */
class MandateAuthorityTest {

  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final ClockLeeway LEEWAY = ClockLeeway.of(Duration.ofSeconds(30));

  private final Map<String, Mandate> ancestors = new HashMap<>();

  /** root (2 hops) -> middle (1 hop) -> leaf, all Active. */
  private Mandate lineage() {
    ancestors.put("root", mandate("root", null, 2, "2030-02-01T00:00:00Z"));
    ancestors.put("middle", mandate("middle", "root", 1, "2030-01-20T00:00:00Z"));
    return mandate("leaf", "middle", null, "2030-01-10T00:00:00Z");
  }

  private static Mandate mandate(String name, String parentRef, Integer hops, String notAfter) {
    Mandate mandate = new Mandate();
    mandate.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace("shop").withGeneration(1L).build());
    var spec = CanonicalJson.mapper().createObjectNode();
    spec.putObject("principal").put("subject", "alice");
    spec.putObject("agent").put("serviceAccount", "agents/planner");
    var scope = spec.putArray("scope").addObject();
    scope.put("contractRef", "scale-web");
    scope.putArray("operations").add("scale");
    spec.putObject("lifecycle").put("notAfter", notAfter);
    if (hops != null) {
      spec.putObject("delegation").put("permitted", true).put("maxAdditionalHops", hops);
    }
    if (parentRef != null) {
      spec.put("parentRef", parentRef);
    }
    try {
      mandate.setSpec(CanonicalJson.mapper().treeToValue(spec, MandateSpec.class));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    MandateStatus status = new MandateStatus();
    status.setPhase(MandateStatus.Phase.Active);
    status.setObservedGeneration(1L);
    mandate.setStatus(status);
    return mandate;
  }

  private static Mandate revoked(Mandate mandate) {
    MandateSpec s = mandate.getSpec();
    mandate.setSpec(
        new MandateSpec(
            s.principal(),
            s.agent(),
            s.purpose(),
            s.scope(),
            s.conditions(),
            s.lifecycle(),
            s.delegation(),
            s.parentRef(),
            new MandateSpec.Revocation("alice", "incident 7")));
    return mandate; // status still says Active: the operator is down, or it was forged
  }

  private static Mandate withLifecycle(Mandate mandate, MandateSpec.Lifecycle lifecycle) {
    MandateSpec s = mandate.getSpec();
    mandate.setSpec(
        new MandateSpec(
            s.principal(),
            s.agent(),
            s.purpose(),
            s.scope(),
            s.conditions(),
            lifecycle,
            s.delegation(),
            s.parentRef(),
            s.revocation()));
    return mandate;
  }

  private void verify(Mandate mandate) throws VerificationException {
    MandateAuthority.verify(mandate, ancestors, CLOCK, LEEWAY);
  }

  private static void denied(Executable call, ReasonCode reason, String... parts) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(parts);
            });
  }

  @Test
  void activeLineage_isInForce() {
    Mandate leaf = lineage();
    assertThatCode(() -> verify(leaf)).doesNotThrowAnyException();
  }

  @Test
  void revokedRoot_deniesTheLeaf_whileEveryStatusStillSaysActive() {
    Mandate leaf = lineage();
    revoked(ancestors.get("root"));
    denied(
        () -> verify(leaf),
        ReasonCode.MANDATE_INACTIVE,
        "Mandate leaf: ancestor Mandate root spec.revocation is set by alice: incident 7");
  }

  @Test
  void revokedParent_deniesTheChild() {
    Mandate leaf = lineage();
    revoked(ancestors.get("middle"));
    denied(() -> verify(leaf), ReasonCode.MANDATE_INACTIVE, "ancestor Mandate middle");
  }

  @Test
  void expiredAncestor_deniesTheLeaf() {
    Mandate leaf = lineage();
    // the root ended; the middle mandate's own notAfter would be later still, so it is cut too
    withLifecycle(
        ancestors.get("root"), new MandateSpec.Lifecycle("2030-01-01T11:00:00Z", null, null));
    denied(() -> verify(leaf), ReasonCode.MANDATE_INACTIVE, "root");
  }

  @Test
  void ancestorEndingWithinTheLeeway_deniesTheLeaf() {
    Mandate leaf = lineage();
    ancestors.put("root", mandate("root", null, 2, "2030-01-01T12:00:30Z"));
    ancestors.put("middle", mandate("middle", "root", 1, "2030-01-01T12:00:30Z"));
    leaf = withLifecycle(leaf, new MandateSpec.Lifecycle("2030-01-01T12:00:30Z", null, null));
    Mandate l = leaf;
    denied(() -> verify(l), ReasonCode.MANDATE_INACTIVE, "notAfter", "clock leeway PT30S");
    ancestors.put("root", mandate("root", null, 2, "2030-01-01T12:00:30.001Z"));
    ancestors.put("middle", mandate("middle", "root", 1, "2030-01-01T12:00:30.001Z"));
    Mandate inside =
        withLifecycle(leaf, new MandateSpec.Lifecycle("2030-01-01T12:00:30.001Z", null, null));
    assertThatCode(() -> verify(inside)).doesNotThrowAnyException();
  }

  @Test
  void terminalEventReportedOnAnAncestor_deniesTheLeaf() {
    Mandate leaf = lineage();
    Mandate root = ancestors.get("root");
    withLifecycle(
        root,
        new MandateSpec.Lifecycle(
            root.getSpec().lifecycle().notAfter(),
            java.util.List.of("change-window-closed"),
            null));
    root.getMetadata().setAnnotations(Map.of(SebKeys.TERMINAL_EVENT, "change-window-closed"));
    denied(
        () -> verify(leaf),
        ReasonCode.MANDATE_INACTIVE,
        "ancestor Mandate root",
        "terminal event 'change-window-closed'");
  }

  @Test
  void missingAncestor_isMandateMissing_namingIt() {
    Mandate leaf = lineage();
    ancestors.remove("root");
    denied(
        () -> verify(leaf),
        ReasonCode.MANDATE_MISSING,
        "ancestor Mandate root (spec.parentRef of middle) does not exist");
  }

  @Test
  void cycle_isDenied() {
    ancestors.put("a", mandate("a", "b", 5, "2030-02-01T00:00:00Z"));
    ancestors.put("b", mandate("b", "a", 5, "2030-02-01T00:00:00Z"));
    Mandate leaf = mandate("leaf", "a", null, "2030-01-10T00:00:00Z");
    // the hop counts already fail at a -> b; without them the walk must still stop
    denied(() -> verify(leaf), ReasonCode.MANDATE_INACTIVE, "b");
    Mandate self = mandate("self", "self", 5, "2030-01-10T00:00:00Z");
    denied(() -> verify(self), ReasonCode.MANDATE_INACTIVE, "cycle");
  }

  @Test
  void chainDeeperThanTheDelegationAllows_isDenied() {
    // root allows one hop, but a grandchild hangs below its child
    ancestors.put("root", mandate("root", null, 1, "2030-02-01T00:00:00Z"));
    ancestors.put("middle", mandate("middle", "root", 1, "2030-01-20T00:00:00Z"));
    Mandate leaf = mandate("leaf", "middle", null, "2030-01-10T00:00:00Z");
    denied(
        () -> verify(leaf),
        ReasonCode.MANDATE_INACTIVE,
        "middle is not validly delegated from ancestor Mandate root",
        "maxAdditionalHops");
  }

  @Test
  void chainLongerThanTheBrokerReads_isDenied() {
    int depth = MandateAuthority.MAX_DEPTH + 2;
    for (int i = 0; i < depth; i++) {
      ancestors.put(
          "m" + i,
          mandate("m" + i, i + 1 < depth ? "m" + (i + 1) : null, 100 + i, "2030-02-01T00:00:00Z"));
    }
    Mandate leaf = mandate("leaf", "m0", null, "2030-01-10T00:00:00Z");
    denied(() -> verify(leaf), ReasonCode.MANDATE_INACTIVE, "longer than 16");
  }

  @Test
  void statusCanOnlyMakeItStricter() {
    Mandate leaf = lineage();
    ancestors.get("root").getStatus().setPhase(MandateStatus.Phase.Suspended);
    denied(
        () -> verify(leaf),
        ReasonCode.MANDATE_INACTIVE,
        "ancestor Mandate root status.phase is Suspended");
    ancestors.get("root").getStatus().setPhase(MandateStatus.Phase.Active);
    leaf.getStatus().setPhase(MandateStatus.Phase.Rejected);
    denied(
        () -> verify(leaf), ReasonCode.MANDATE_INACTIVE, "Mandate leaf status.phase is Rejected");
  }

  @Test
  void forgedActiveStatusOnARevokedMandate_isDenied() {
    Mandate leaf = revoked(lineage());
    leaf.getStatus().setObservedGeneration(leaf.getMetadata().getGeneration());
    denied(() -> verify(leaf), ReasonCode.MANDATE_INACTIVE, "Mandate leaf spec.revocation");
  }
}
