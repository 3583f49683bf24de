package dev.seb.ground;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers seb starts locally (components of the local stack, moto). A port found free
 * is only known free until it is closed again; one from the kernel's ephemeral range can be taken
 * in that gap as the local end of any outgoing connection (the machine makes hundreds a second
 * while the stack comes up), and the server then fails to bind. So the port comes from below that
 * range, where only another listener could take it.
 */
public final class LoopbackPorts {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST = 10_000;

  private LoopbackPorts() {}

  /** A port on the loopback interface that is free now and outside the ephemeral range. */
  public static int free() {
    int ephemeralStart = ephemeralStart();
    if (ephemeralStart - LOWEST < 1_000) {
      return anyFree(); // an unusual range: fall back to what the kernel hands out
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralStart);
      try (ServerSocket socket = new ServerSocket(port, 1, loopback)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    return anyFree();
  }

  /** The first port of the kernel's ephemeral range (32768 where it cannot be read). */
  static int ephemeralStart() {
    try {
      // read line by line: Files.readString trusts the size procfs reports and returns only part
      try (var reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
        return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static int anyFree() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
