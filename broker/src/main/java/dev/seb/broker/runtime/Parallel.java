package dev.seb.broker.runtime;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Independent blocking API calls made at once, so that a decision or an execution costs one round
 * trip per dependency level rather than one per call. Failures surface unchanged to the caller,
 * which fails closed as it would for the same call made alone.
 *
 * <p>At most {@value #THREADS} calls run on the pool at once; beyond that a call runs in its
 * caller's thread, so a burst slows down rather than growing threads without bound.
 */
public final class Parallel {

  static final int THREADS = 32;

  private static final ExecutorService CALLS =
      new ThreadPoolExecutor(
          0,
          THREADS,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          runnable -> {
            Thread thread = new Thread(runnable, "seb-api-call");
            thread.setDaemon(true);
            return thread;
          },
          new ThreadPoolExecutor.CallerRunsPolicy());

  private Parallel() {}

  /** Starts a call. */
  public static <T> CompletableFuture<T> start(Supplier<T> call) {
    // the caller's trace goes along: the call's spans are children of the caller's
    Context caller = Context.current();
    return CompletableFuture.supplyAsync(
        () -> {
          try (Scope ignored = caller.makeCurrent()) {
            return call.get();
          }
        },
        CALLS);
  }

  /** The call's result, or its own exception. */
  public static <T> T result(CompletableFuture<T> call) {
    try {
      return call.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  /**
   * Runs the calls at once and waits for all; the first failure is thrown after every call has
   * finished, the others suppressed in it.
   */
  public static void all(Runnable... calls) {
    List<CompletableFuture<Object>> running = new ArrayList<>();
    for (Runnable call : calls) {
      running.add(
          start(
              () -> {
                call.run();
                return null;
              }));
    }
    RuntimeException failure = null;
    for (CompletableFuture<Object> call : running) {
      try {
        result(call);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
