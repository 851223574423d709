package dev.lockguard.internal.core;

import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The report-once-or-worse rule, written once: a finding goes out the first time its key is seen,
 * and again only when it is more severe than what went out before under that key; a repeat as
 * severe as before, or less, stays in.
 *
 * <p>Each user keeps a ledger of its own keys: the report keys findings by id, and prints a
 * finding on stderr only when its ledger admits it (it counts the repeats, {@link Reporter}); the
 * latch detector and the watchdog key them by id too, but ask before they build the finding
 * (building captures stacks); the lock-order graph keys a cycle by its lock instances, since
 * cycles over other instances of the same locks share an id and are counted under it. A ledger
 * keeps a value per key: the report keeps the finding and its counts, the graph the cycle's edges,
 * so that it can forget a cycle whose lock died.
 *
 * <p>The queue check does not use a ledger on its hot path: each site pair keeps its level in an
 * array slot it raises with a compare-and-set ({@code QueueSites.Entry.raise}), since a monitor
 * and a map lookup per pair run would cost too much; its findings still pass the report's ledger.
 *
 * <p>Thread-safe under the ledger's own monitor, a leaf: nothing else is taken while it is held.
 *
 * @param <K> the key a finding is known by
 * @param <V> what is kept with a key
 */
public final class Ledger<K, V> {
  private record Entry<V>(Severity severity, V value) {}

  private final Map<K, Entry<V>> entries = new LinkedHashMap<>();

  /**
   * Records {@code value} under {@code key} if the key is new or {@code severity} is worse than
   * the recorded one; returns whether it did, that is whether the finding goes out. A finding is
   * never recorded over one as severe or worse.
   */
  public synchronized boolean admit(K key, Severity severity, V value) {
    Entry<V> recorded = entries.get(key);
    if (recorded != null && severity.compareTo(recorded.severity()) >= 0) {
      return false; // ERROR < WARNING < INFO: not worse
    }
    entries.put(key, new Entry<>(severity, value)); // a known key keeps its place
    return true;
  }

  /** The value recorded under {@code key}, or null. */
  public synchronized V get(K key) {
    Entry<V> recorded = entries.get(key);
    return recorded == null ? null : recorded.value();
  }

  public synchronized boolean contains(K key) {
    return entries.containsKey(key);
  }

  /** The recorded values, in the order their keys were first admitted. */
  public synchronized List<V> values() {
    List<V> values = new ArrayList<>(entries.size());
    for (Entry<V> entry : entries.values()) {
      values.add(entry.value());
    }
    return values;
  }

  /** Forgets {@code key}: a later finding under it goes out as a first one. */
  public synchronized void remove(K key) {
    entries.remove(key);
  }

  /** Forgets the keys whose value matches {@code gone}. */
  public synchronized void removeIf(Predicate<? super V> gone) {
    entries.values().removeIf(entry -> gone.test(entry.value()));
  }

  /** Forgets every key. */
  public synchronized void clear() {
    entries.clear();
  }
}
