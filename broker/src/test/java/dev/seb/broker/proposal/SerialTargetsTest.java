package dev.seb.broker.proposal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.contracts.v1alpha1.MutationProposal;
import dev.seb.contracts.v1alpha1.MutationProposalSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

class SerialTargetsTest {

  private static MutationProposal proposal(String ns, String name, String contract) {
    MutationProposal proposal = new MutationProposal();
    proposal.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    proposal.setSpec(new MutationProposalSpec("m", contract, null, null, "why"));
    return proposal;
  }

  @Test
  void proposalsUnderOneContract_shareALock() {
    SerialTargets serial = new SerialTargets();
    assertThat(serial.of(proposal("shop", "a", "scale-web")))
        .isSameAs(serial.of(proposal("shop", "b", "scale-web")));
  }

  @Test
  void theLocksAreAFixedSet_howeverManyContracts() {
    SerialTargets serial = new SerialTargets();
    Set<Lock> locks = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      locks.add(serial.of(proposal("ns-" + i, "p", "contract-" + i)));
    }
    assertThat(locks).hasSizeLessThanOrEqualTo(64).hasSizeGreaterThan(32);
  }
}
