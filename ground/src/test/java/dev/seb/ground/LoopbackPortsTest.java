package dev.seb.ground;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class LoopbackPortsTest {

  @Test
  @EnabledOnOs(OS.LINUX)
  void theEphemeralRangeIsReadWhole_andPortsComeFromBelowIt() throws Exception {
    // the whole first field, as the shell sees it (procfs reports a size Files.readString trusts)
    String first =
        Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
            .get(0)
            .trim()
            .split("\\s+")[0];
    int start = LoopbackPorts.ephemeralStart();
    assertThat(start).isEqualTo(Integer.parseInt(first));
    for (int i = 0; i < 20; i++) {
      assertThat(LoopbackPorts.free()).isBetween(10_000, start - 1);
    }
  }
}
