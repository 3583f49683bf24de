package dev.seb.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.record.ProposalRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test suite's probe acts on the one proposal a hook was registered for, and on no other. */
class BrokerProbeTest {

  private static final String UID = "00000000-0000-0000-0000-00000000000a";
  private static final String OTHER_UID = "00000000-0000-0000-0000-00000000000b";

  private final BrokerProbe probe = new BrokerProbe();
  private final List<ProposalRef> acted = new ArrayList<>();

  private static ProposalRef ref(String namespace, String name, String uid) {
    return new ProposalRef(namespace, name, uid, null);
  }

  @Test
  void aHook_actsOnTheProposalItWasRegisteredFor() {
    var hook = probe.beforeWrite("shop", "race", (p, a) -> acted.add(p));
    probe.beforeWrite(ref("shop", "race", UID), null);
    assertThat(acted).containsExactly(ref("shop", "race", UID));
    assertThat(hook.uid()).isEqualTo(UID);
  }

  @Test
  void aHook_neverActsOnAnotherNameThatSharesItsPrefix() {
    probe.beforeWrite("shop", "race", (p, a) -> acted.add(p));
    probe.beforeWrite(ref("shop", "race-delete", UID), null);
    probe.beforeWrite(ref("shop", "raced", UID), null);
    assertThat(acted).isEmpty();
  }

  @Test
  void aHook_neverActsOnTheSameNameInAnotherNamespace() {
    probe.beforeWrite("shop", "race", (p, a) -> acted.add(p));
    probe.beforeWrite(ref("other-shop", "race", UID), null);
    assertThat(acted).isEmpty();
  }

  @Test
  void aHook_neverActsOnAProposalReCreatedUnderTheSameName() {
    probe.beforeWrite("shop", "race", (p, a) -> acted.add(p));
    probe.beforeWrite(ref("shop", "race", UID), null);
    probe.beforeWrite(ref("shop", "race", OTHER_UID), null);
    probe.beforeWrite(ref("shop", "race", UID), null); // the same proposal again: a retry
    assertThat(acted).extracting(ProposalRef::uid).containsExactly(UID, UID);
  }

  @Test
  void aHook_actsOnlyAtThePointItWasRegisteredFor() {
    probe.beforeDecisionRecord("shop", "overtaken", (p, a) -> acted.add(p));
    probe.beforeWrite(ref("shop", "overtaken", UID), null);
    assertThat(acted).isEmpty();
    probe.beforeDecisionRecord(ref("shop", "overtaken", UID), null);
    assertThat(acted).hasSize(1);
  }

  @Test
  void aClosedHook_actsOnNothing() {
    probe.beforeWrite("shop", "race", (p, a) -> acted.add(p)).close();
    probe.beforeWrite(ref("shop", "race", UID), null);
    assertThat(acted).isEmpty();
  }

  @Test
  void revokedIdentities_areKeptPerProposal() {
    probe.revoked(ref("shop", "scale-to-4", UID), "system:serviceaccount:seb-system:a", "t1");
    probe.revoked(
        ref("shop", "scale-to-40", OTHER_UID), "system:serviceaccount:seb-system:b", "t2");
    assertThat(probe.revoked("shop", "scale-to-4"))
        .extracting(BrokerProbe.Revoked::token)
        .containsExactly("t1");
  }
}
