package dev.seb.contracts.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordFixturesTest {

  static String resource(String name) {
    try (InputStream in = RecordFixturesTest.class.getResourceAsStream(name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fixture chain: one compact JWS per line. */
  static List<String> chain(String name) {
    return resource(name).lines().filter(line -> !line.isEmpty()).toList();
  }

  @Test
  void committedFixtures_areExactlyWhatTheCurrentRecordFormatProduces() {
    // Ed25519 is deterministic: any change to claims, header or key handling shows up here, and
    // the fixtures must then be regenerated on purpose (see RecordFixtures)
    for (Map.Entry<String, String> file : RecordFixtures.all().entrySet()) {
      assertThat(resource(file.getKey())).as(file.getKey()).isEqualTo(file.getValue());
    }
  }
}
