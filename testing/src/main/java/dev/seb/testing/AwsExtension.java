package dev.seb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One AWS emulator per test class. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final AwsExtension aws = new AwsExtension();
 * }</pre>
 *
 * <p>moto's log stays in {@code target/test-ground/} when a test of the class failed and is removed
 * otherwise. With {@code seb.testground=testcontainers} and no Docker engine the class is skipped.
 */
public final class AwsExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

  private Aws aws;
  private volatile boolean failed;

  @Override
  public void beforeAll(ExtensionContext context) {
    aws =
        switch (TestGround.provider()) {
          case LOCAL -> MotoAws.start();
          case TESTCONTAINERS -> {
            Assumptions.assumeTrue(
                TestGround.dockerAvailable(),
                "no Docker engine here: LocalStack tests are skipped");
            yield LocalStackAws.start();
          }
        };
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    failed = true;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (aws == null) {
      return;
    }
    aws.close();
    if (aws instanceof MotoAws moto) {
      try {
        if (failed || context.getExecutionException().isPresent()) {
          System.err.println("[seb test ground] moto log kept at " + moto.log());
        } else {
          Files.deleteIfExists(moto.log());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    aws = null;
  }

  /** The running emulator. */
  public Aws aws() {
    if (aws == null) {
      throw new IllegalStateException("the emulator runs only between beforeAll and afterAll");
    }
    return aws;
  }
}
