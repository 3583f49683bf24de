package dev.seb.testing;

import dev.seb.ground.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * moto in server mode on a free loopback port, with IAM enforcement on.
 *
 * <p>moto authenticates and authorizes every request after the first {@code
 * INITIAL_NO_AUTH_ACTION_COUNT} actions. The fixture spends exactly those actions on creating an
 * administrator user and its access key, so from then on every request, the administrator's
 * included, is checked against IAM policies.
 */
public final class MotoAws implements Aws {

  /** Bootstrap actions: CreateUser, PutUserPolicy, CreateAccessKey. */
  private static final int BOOTSTRAP_ACTIONS = 3;

  private static final String ADMIN_USER = "seb-test-admin";

  private static final String ADMIN_POLICY =
      """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

  private final Process process;
  private final URI endpoint;
  private final Path log;
  private final AwsCredentialsProvider admin;

  private MotoAws(Process process, URI endpoint, Path log, AwsCredentialsProvider admin) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
    this.admin = admin;
  }

  /** Starts moto, waits until it answers and creates the administrator. */
  public static MotoAws start() {
    Path server = TestGround.motoServer();
    if (!Files.isExecutable(server)) {
      throw new IllegalStateException(
          "no moto server at "
              + server
              + ": run tools/provision.sh (README's commands do) to install the AWS test ground");
    }
    int port = LoopbackPorts.free();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Path log = TestGround.logDir().resolve("moto-" + port + ".log");
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(List.of(server.toString(), "-H", "127.0.0.1", "-p", "" + port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", "" + BOOTSTRAP_ACTIONS);
      builder.environment().put("MOTO_ACCOUNT_ID", ACCOUNT_ID);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + server, e);
    }
    try {
      awaitReady(process, endpoint, log);
      return new MotoAws(process, endpoint, log, bootstrapAdmin(endpoint));
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private static void awaitReady(Process process, URI endpoint, Path log) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest probe = HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).build();
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // not listening yet
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto", e);
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto", e);
      }
    }
    throw new IllegalStateException("moto did not answer within 60 s; see " + log);
  }

  private static AwsCredentialsProvider bootstrapAdmin(URI endpoint) {
    var unauthenticated =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("bootstrap", "bootstrap"));
    try (IamClient iam =
        IamClient.builder()
            .endpointOverride(endpoint)
            .region(REGION)
            .credentialsProvider(unauthenticated)
            .httpClientBuilder(
                software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
            .build()) {
      iam.createUser(b -> b.userName(ADMIN_USER));
      iam.putUserPolicy(
          b -> b.userName(ADMIN_USER).policyName("admin").policyDocument(ADMIN_POLICY));
      AccessKey key = iam.createAccessKey(b -> b.userName(ADMIN_USER)).accessKey();
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }
  }

  @Override
  public String name() {
    return "moto " + endpoint;
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public AwsCredentialsProvider adminCredentials() {
    return admin;
  }

  @Override
  public String adminArn() {
    return "arn:aws:iam::" + ACCOUNT_ID + ":user/" + ADMIN_USER;
  }

  @Override
  public boolean enforcesIam() {
    return true;
  }

  /** The server's log file; kept when a test of the class failed. */
  public Path log() {
    return log;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
