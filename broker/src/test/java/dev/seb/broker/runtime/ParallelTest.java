package dev.seb.broker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParallelTest {

  @Test
  void aBurstBeyondThePool_runsInTheCallersThread_neverInMoreThreads() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    // fill the pool with calls that wait
    for (int i = 0; i < Parallel.THREADS; i++) {
      calls.add(
          Parallel.start(
              () -> {
                threads.add(Thread.currentThread().getName());
                await(release);
                return 1;
              }));
    }
    // one more: no new thread; it runs here, at once
    String caller = Thread.currentThread().getName();
    CompletableFuture<String> extra = Parallel.start(() -> Thread.currentThread().getName());
    assertThat(extra.isDone()).isTrue();
    assertThat(extra.get()).isEqualTo(caller);
    release.countDown();
    for (var call : calls) {
      assertThat(Parallel.result(call)).isEqualTo(1);
    }
    assertThat(threads).hasSizeLessThanOrEqualTo(Parallel.THREADS);
  }

  @Test
  void all_throwsTheFirstFailure_afterEveryCallFinished() {
    CountDownLatch failed = new CountDownLatch(1);
    CountDownLatch slowDone = new CountDownLatch(1);
    assertThatThrownBy(
            () ->
                Parallel.all(
                    () -> {
                      failed.countDown();
                      throw new IllegalStateException("first");
                    },
                    () -> {
                      await(failed); // still running when the other call has failed
                      slowDone.countDown();
                    }))
        .hasMessage("first");
    assertThat(slowDone.getCount()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
