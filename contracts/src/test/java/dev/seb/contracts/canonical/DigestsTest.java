package dev.seb.contracts.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;

class DigestsTest {

  private static JsonNode json(String text) throws Exception {
    return CanonicalJson.mapper().readTree(text);
  }

  @Test
  void state_isTheCanonicalDigest_soKeyOrderDoesNotMatter_butAnyChangeDoes() throws Exception {
    String a = Digests.state(json("{\"metadata\":{\"resourceVersion\":\"7\"},\"spec\":{\"x\":1}}"));
    String b = Digests.state(json("{\"spec\":{\"x\":1},\"metadata\":{\"resourceVersion\":\"7\"}}"));
    String changed =
        Digests.state(json("{\"metadata\":{\"resourceVersion\":\"8\"},\"spec\":{\"x\":1}}"));
    assertThat(a).startsWith("sha256:").isEqualTo(b).isNotEqualTo(changed);
  }

  @Test
  void state_ofNoObject_isAbsent() {
    assertThat(Digests.state(null)).isNull();
    assertThat(Digests.state(NullNode.getInstance())).isNull();
  }
}
