package dev.seb.broker.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small map that forgets its least recently used entry beyond a fixed size: what the broker
 * remembers between decisions never grows with the number of proposals or contracts.
 */
public final class BoundedCache<K, V> {

  private final Map<K, V> entries;

  public BoundedCache(int size) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > size;
          }
        };
  }

  public synchronized V get(K key) {
    return entries.get(key);
  }

  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  /** Removes and returns the entry; null when there is none (or it was forgotten). */
  public synchronized V remove(K key) {
    return entries.remove(key);
  }
}
