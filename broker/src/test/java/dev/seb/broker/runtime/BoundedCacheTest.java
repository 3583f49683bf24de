package dev.seb.broker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

  @Test
  void forgetsTheLeastRecentlyUsed_beyondItsSize() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assertThat(cache.get("a")).isEqualTo(1); // a is now the most recently used
    cache.put("c", 3);
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo(1);
    assertThat(cache.get("c")).isEqualTo(3);
  }

  @Test
  void neverGrowsPastItsSize() {
    BoundedCache<Integer, Integer> cache = new BoundedCache<>(16);
    for (int i = 0; i < 10_000; i++) {
      cache.put(i, i);
    }
    int kept = 0;
    for (int i = 0; i < 10_000; i++) {
      kept += cache.get(i) == null ? 0 : 1;
    }
    assertThat(kept).isEqualTo(16);
  }
}
