package dev.seb.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Trust for an https broker: the configured PEM CA bundle, else the JVM's defaults. */
final class BrokerTls {

  private BrokerTls() {}

  static HttpClient.Builder configure(HttpClient.Builder builder, Optional<String> caFile) {
    if (caFile.isEmpty()) {
      return builder;
    }
    try (InputStream in = Files.newInputStream(Path.of(caFile.get()))) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, factory.getTrustManagers(), null);
      return builder.sslContext(tls);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "seb.notices.ca-file " + caFile.get() + " is not a readable PEM CA bundle: " + e, e);
    }
  }
}
