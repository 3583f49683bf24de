package dev.seb.contracts.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  @Test
  void canonicalForm_sortsKeysAndNormalisesNumbers() throws Exception {
    byte[] canonical = CanonicalJson.canonicalize("{\"b\": 1.0E2, \"a\": [true, \"\\u0041\"]}");
    assertThat(new String(canonical, StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":[true,\"A\"],\"b\":100}");
  }

  @Test
  void sameValueWrittenDifferently_hasTheSameDigest() throws Exception {
    var mapper = CanonicalJson.mapper();
    assertThat(CanonicalJson.digest(mapper.readTree("{\"x\": 1, \"y\": \"z\"}")))
        .isEqualTo(CanonicalJson.digest(mapper.readTree("{ \"y\":\"z\",\n \"x\":1.0 }")))
        .startsWith("sha256:")
        .hasSize("sha256:".length() + 64);
  }

  @Test
  void nonFiniteNumber_cannotBeCanonicalised_ratherThanDigestingLikeAString() {
    ObjectNode withNaN =
        CanonicalJson.mapper().createObjectNode().set("n", DoubleNode.valueOf(Double.NaN));
    assertThatThrownBy(() -> CanonicalJson.digest(withNaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contractDigest_ignoresOnlyTheCertificate() throws Exception {
    var mapper = CanonicalJson.mapper();
    var spec = (ObjectNode) mapper.readTree("{\"target\": {\"kubernetes\": {\"name\": \"web\"}}}");
    String bare = Digests.contract(spec);
    assertThat(Digests.contract(spec.deepCopy().put("certificate", "a.b.c"))).isEqualTo(bare);
    assertThat(Digests.contract(spec.deepCopy().put("reversibility", "reversible")))
        .isNotEqualTo(bare);
  }

  @Test
  void proposalDigest_bindsTheSpecToItsObject() throws Exception {
    var spec = CanonicalJson.mapper().readTree("{\"mandateRef\": \"m\"}");
    String digest = Digests.proposal(spec, "ns", "p", "uid-1");
    assertThat(Digests.proposal(spec, "ns", "p", "uid-2")).isNotEqualTo(digest);
    assertThat(Digests.proposal(spec, "other", "p", "uid-1")).isNotEqualTo(digest);
  }
}
