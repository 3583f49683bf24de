package dev.seb.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seb.testing.TestGround;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/images/jks-fixed-dates.py, which makes the JRE base image's cacerts the same bytes in every
 * build: Java's keystore stamps each certificate with the time it was added, so two keystores of
 * the same certificates differ until the script sets one date and recomputes the integrity digest.
 */
class JksFixedDatesTest {

  private static final Path SCRIPT =
      TestGround.repoRoot().resolve("tools/images/jks-fixed-dates.py");
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final List<Certificate> certificates = new ArrayList<>();

  @TempDir Path dir;

  @BeforeAll
  static void someCertificates() throws Exception {
    KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in =
        Files.newInputStream(Path.of(System.getProperty("java.home"), "lib/security/cacerts"))) {
      jdk.load(in, PASSWORD);
    }
    for (String alias : Collections.list(jdk.aliases())) {
      if (certificates.size() < 3 && jdk.isCertificateEntry(alias)) {
        certificates.add(jdk.getCertificate(alias));
      }
    }
    assertThat(certificates).hasSize(3);
  }

  @Test
  void twoKeystoresWrittenAtDifferentTimes_becomeTheSameBytes_andStillLoad() throws Exception {
    Path first = keystore("first.jks");
    // keytool dates each entry by the millisecond it is written: the second once the clock moved
    long writtenAt = System.currentTimeMillis();
    org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > writtenAt + 1);
    Path second = keystore("second.jks");
    assertThat(Files.readAllBytes(first))
        .as("before: dated by when they were written")
        .isNotEqualTo(Files.readAllBytes(second));

    assertThat(run(first, "1700000000")).isZero();
    assertThat(run(second, "1700000000")).isZero();

    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
    KeyStore fixed = KeyStore.getInstance("JKS");
    try (InputStream in = Files.newInputStream(first)) {
      fixed.load(in, PASSWORD); // checks the recomputed integrity digest
    }
    for (int i = 0; i < certificates.size(); i++) {
      assertThat(fixed.getCertificate("cert" + i)).isEqualTo(certificates.get(i));
      assertThat(fixed.getCreationDate("cert" + i)).isEqualTo(new Date(1_700_000_000_000L));
    }
  }

  @Test
  void aKeystoreUnderAnotherPassword_isRefused_andLeftAsItWas() throws Exception {
    Path other = keystore("other.jks", "another-password".toCharArray());
    byte[] before = Files.readAllBytes(other);

    assertThat(run(other, "0")).as("exit status").isNotZero();

    assertThat(Files.readAllBytes(other)).isEqualTo(before);
  }

  @Test
  void aFileThatIsNoKeystore_isRefused_andLeftAsItWas() throws Exception {
    Path text = Files.writeString(dir.resolve("cacerts"), "not a keystore", StandardCharsets.UTF_8);

    assertThat(run(text, "0")).isNotZero();

    assertThat(Files.readString(text)).isEqualTo("not a keystore");
  }

  private Path keystore(String name) throws Exception {
    return keystore(name, PASSWORD);
  }

  private Path keystore(String name, char[] password) throws Exception {
    KeyStore ks = KeyStore.getInstance("JKS");
    ks.load(null, null);
    for (int i = 0; i < certificates.size(); i++) {
      ks.setCertificateEntry("cert" + i, certificates.get(i));
    }
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password);
    }
    return file;
  }

  private int run(Path keystore, String epoch) throws Exception {
    Process p =
        new ProcessBuilder("python3", SCRIPT.toString(), keystore.toString(), epoch)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("script.log").toFile())
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
