package dev.seb.e2e.chart;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTP client that trusts servers whose certificate chains to one CA, whatever address they are
 * reached at: for probing the webhook's health on loopback, where its certificate names the Service
 * ({@code seb-admission-webhook.<namespace>.svc}) that the API server calls.
 */
final class CaTrust {

  private CaTrust() {}

  static HttpClient client(String caPem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var cert :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      X509TrustManager chain = (X509TrustManager) factory.getTrustManagers()[0];
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {new ChainOnly(chain)}, null);
      return HttpClient.newBuilder()
          .sslContext(context)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot trust the CA", e);
    }
  }

  /** Checks the chain against the CA, not the host name. */
  private static final class ChainOnly extends X509ExtendedTrustManager {
    private final X509TrustManager chain;

    ChainOnly(X509TrustManager chain) {
      this.chain = chain;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String auth)
        throws CertificateException {
      chain.checkServerTrusted(certs, auth);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String auth, Socket socket)
        throws CertificateException {
      chain.checkServerTrusted(certs, auth);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String auth, SSLEngine engine)
        throws CertificateException {
      chain.checkServerTrusted(certs, auth);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String auth)
        throws CertificateException {
      throw new CertificateException("a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String auth, Socket socket)
        throws CertificateException {
      throw new CertificateException("a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String auth, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a client only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return chain.getAcceptedIssuers();
    }
  }
}
