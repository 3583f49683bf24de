package dev.seb.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * An open-loop load generator: request {@code i} is due at {@code start + i / rate}, whether or not
 * earlier answers have come back, and its latency is measured from that intended time, so a stall
 * shows up in every request it delays (no coordinated omission).
 */
public final class OpenLoop {

  /**
   * One run.
   *
   * @param intended requests scheduled
   * @param errors requests that failed, were judged wrong, or never completed
   * @param errorSamples the first few error messages
   * @param latencyNanos latency of request {@code i} from its intended send time, -1 if unanswered
   * @param achievedPerSecond answered requests per second, from the first intended send to the last
   *     answer
   * @param maxSendLagNanos how far the sender itself fell behind its schedule at worst
   */
  public record Result(
      int intended,
      int errors,
      List<String> errorSamples,
      long[] latencyNanos,
      double achievedPerSecond,
      long maxSendLagNanos) {

    /** Requests answered, rightly or wrongly. */
    public int completed() {
      return (int) Arrays.stream(latencyNanos).filter(l -> l >= 0).count();
    }

    /** The latency at quantile {@code q} (0..1) in milliseconds (nearest rank). */
    public double millisAt(double q) {
      return millisAt(q, i -> true);
    }

    /** The latency at quantile {@code q} of the requests whose index matches, in milliseconds. */
    public double millisAt(double q, IntPredicate requests) {
      long[] sorted =
          IntStream.range(0, latencyNanos.length)
              .filter(requests)
              .mapToLong(i -> latencyNanos[i])
              .filter(l -> l >= 0)
              .sorted()
              .toArray();
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(rank, sorted.length - 1))] / 1e6;
    }
  }

  private OpenLoop() {}

  /**
   * Fires {@code request.apply(i)} at {@code ratePerSecond} for {@code duration}, then waits up to
   * {@code drain} for the last answers. A request's future completes with {@code null} when the
   * answer was right, or with a message saying what was wrong.
   */
  public static Result run(
      int ratePerSecond,
      Duration duration,
      Duration drain,
      IntFunction<CompletableFuture<String>> request)
      throws InterruptedException {
    long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    int count = (int) (duration.toNanos() / interval);
    long[] latencies = new long[count];
    Arrays.fill(latencies, -1);
    AtomicInteger errors = new AtomicInteger();
    List<String> samples = new ArrayList<>();
    AtomicLong lastCompletion = new AtomicLong();
    CountDownLatch done = new CountDownLatch(count);
    long maxLag = 0;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
    for (int i = 0; i < count; i++) {
      long due = start + i * interval;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      maxLag = Math.max(maxLag, System.nanoTime() - due);
      int index = i;
      CompletableFuture<String> answer;
      try {
        answer = request.apply(i);
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      answer.whenComplete(
          (wrong, failure) -> {
            long now = System.nanoTime();
            latencies[index] = now - due;
            lastCompletion.accumulateAndGet(now, Math::max);
            if (failure != null || wrong != null) {
              errors.incrementAndGet();
              synchronized (samples) {
                if (samples.size() < 5) {
                  samples.add(failure != null ? failure.toString() : wrong);
                }
              }
            }
            done.countDown();
          });
    }
    done.await(drain.toNanos(), TimeUnit.NANOSECONDS);
    long[] snapshot = latencies.clone();
    int answered = (int) Arrays.stream(snapshot).filter(l -> l >= 0).count();
    int missing = count - answered;
    double seconds = (lastCompletion.get() - start) / 1e9;
    synchronized (samples) {
      if (missing > 0 && samples.size() < 5) {
        samples.add(
            missing
                + " requests unanswered after "
                + drain
                + ", the first: "
                + IntStream.range(0, count)
                    .filter(i -> snapshot[i] < 0)
                    .limit(10)
                    .boxed()
                    .toList());
      }
      return new Result(
          count,
          errors.get() + missing,
          List.copyOf(samples),
          snapshot,
          seconds > 0 ? answered / seconds : 0,
          maxLag);
    }
  }
}
