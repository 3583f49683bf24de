package dev.seb.e2e.ground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seb.testing.Aws;
import dev.seb.testing.AwsExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Proves the AWS half of the test ground: the emulator authenticates every request and evaluates
 * the assumed role's policy, the mechanism seb's per-execution AWS identities rest on.
 *
 * <p>moto does not evaluate STS session policies, so enforcement here comes from role policies.
 */
class AwsGroundIT {

  @RegisterExtension static final AwsExtension emulator = new AwsExtension();

  private static final String ROLE = "seb-ground-exec";
  private static final String ROLE_ARN = "arn:aws:iam::" + Aws.ACCOUNT_ID + ":role/" + ROLE;

  private static AwsCredentialsProvider session;

  @BeforeAll
  static void assumeRoleWithOneAllowedAction() {
    Aws aws = emulator.aws();
    Assumptions.assumeTrue(aws.enforcesIam(), aws.name() + " does not enforce IAM");
    try (S3Client s3 = s3(aws.adminCredentials());
        IamClient iam = aws.client(IamClient.builder(), aws.adminCredentials());
        StsClient sts = aws.client(StsClient.builder(), aws.adminCredentials())) {
      s3.createBucket(b -> b.bucket("ground-allowed"));
      s3.createBucket(b -> b.bucket("ground-other"));
      iam.createRole(
          b ->
              b.roleName(ROLE)
                  .assumeRolePolicyDocument(
                      """
                      {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                       "Principal":{"AWS":"%s"},"Action":"sts:AssumeRole"}]}"""
                          .formatted(aws.adminArn())));
      iam.putRolePolicy(
          b ->
              b.roleName(ROLE)
                  .policyName("list-one-bucket")
                  .policyDocument(
                      """
                      {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                       "Action":"s3:ListBucket","Resource":"arn:aws:s3:::ground-allowed"}]}"""));
      Credentials c =
          sts.assumeRole(b -> b.roleArn(ROLE_ARN).roleSessionName("ground").durationSeconds(900))
              .credentials();
      session =
          StaticCredentialsProvider.create(
              AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    }
  }

  private static S3Client s3(AwsCredentialsProvider credentials) {
    return emulator.aws().client(S3Client.builder().forcePathStyle(true), credentials);
  }

  @Test
  void assumedRole_mayCallTheOneAllowedActionOnTheOneAllowedResource() {
    try (S3Client s3 = s3(session)) {
      assertThat(s3.listObjectsV2(b -> b.bucket("ground-allowed")).keyCount()).isZero();
    }
  }

  @Test
  void assumedRole_isDeniedAnotherAction() {
    try (S3Client s3 = s3(session)) {
      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket("ground-allowed").key("x"), RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  @Test
  void assumedRole_isDeniedTheSameActionOnAnotherResource() {
    try (S3Client s3 = s3(session)) {
      assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("ground-other")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  @Test
  void garbageCredentials_areDenied() {
    var garbage =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAGARBAGE0000000", "not-a-secret"));
    try (S3Client s3 = s3(garbage);
        StsClient sts = emulator.aws().client(StsClient.builder(), garbage)) {
      assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("ground-allowed")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn(ROLE_ARN).roleSessionName("forged")))
          .isInstanceOfSatisfying(
              software.amazon.awssdk.awscore.exception.AwsServiceException.class,
              e -> assertThat(e.statusCode()).isIn(401, 403));
    }
  }

  @Test
  void realAccessKeyWithAWrongSecret_isDenied() {
    String keyId = emulator.aws().adminCredentials().resolveCredentials().accessKeyId();
    var forged =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, "wrong-secret"));
    try (S3Client s3 = s3(forged)) {
      assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("ground-allowed")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  /**
   * moto routes requests by their signature, so it cannot serve an unsigned one at all: it answers
   * 500 instead of AWS's 403. What matters to seb holds either way: the request fails and changes
   * nothing.
   */
  @Test
  void unsignedRequests_failAndChangeNothing() {
    try (S3Client anonymous = s3(AnonymousCredentialsProvider.create());
        S3Client admin = s3(emulator.aws().adminCredentials())) {
      assertThatThrownBy(
              () ->
                  anonymous.putObject(
                      b -> b.bucket("ground-allowed").key("unsigned"), RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isGreaterThanOrEqualTo(400));
      assertThat(admin.listObjectsV2(b -> b.bucket("ground-allowed")).contents()).isEmpty();
    }
  }
}
