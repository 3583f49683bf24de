package dev.seb.testing;

import java.net.URI;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * LocalStack in a container (Testcontainers), for machines with a Docker engine. Its community
 * image does not evaluate IAM policies, so tests that need enforcement skip on it.
 */
public final class LocalStackAws implements Aws {

  /** The LocalStack image. */
  public static final String IMAGE = "localstack/localstack:4.9";

  private final LocalStackContainer container;

  private LocalStackAws(LocalStackContainer container) {
    this.container = container;
  }

  /** Starts LocalStack; callers check {@link TestGround#dockerAvailable()} first. */
  public static LocalStackAws start() {
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(IMAGE)).withEnv("ENFORCE_IAM", "1");
    container.start();
    return new LocalStackAws(container);
  }

  @Override
  public String name() {
    return "LocalStack " + IMAGE;
  }

  @Override
  public URI endpoint() {
    return container.getEndpoint();
  }

  @Override
  public AwsCredentialsProvider adminCredentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
  }

  @Override
  public String adminArn() {
    return "arn:aws:iam::" + ACCOUNT_ID + ":root";
  }

  @Override
  public boolean enforcesIam() {
    return false;
  }

  @Override
  public void close() {
    container.stop();
  }
}
