package dev.seb.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A real AWS API emulator that a test talks to with the AWS SDK v2. Implementations: {@link
 * MotoAws} (moto in server mode with IAM enforcement, the default) and {@link LocalStackAws}
 * (Testcontainers, where a Docker engine exists).
 */
public interface Aws extends AutoCloseable {

  /** The account every emulated resource belongs to. */
  String ACCOUNT_ID = "123456789012";

  /** The region tests use. */
  Region REGION = Region.US_EAST_1;

  /** A short name for logs and skip messages. */
  String name();

  /** The single endpoint serving every service. */
  URI endpoint();

  /**
   * Credentials of an IAM principal allowed everything; requests with it are still authenticated.
   */
  AwsCredentialsProvider adminCredentials();

  /** The ARN of the principal behind {@link #adminCredentials()}, for trust policies. */
  String adminArn();

  /** Whether the emulator authenticates requests and evaluates IAM policies. */
  boolean enforcesIam();

  /** Points a client builder of any service at this emulator with the given credentials. */
  default <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
      B builder, AwsCredentialsProvider credentials) {
    return builder
        .endpointOverride(endpoint())
        .region(REGION)
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  @Override
  void close();
}
