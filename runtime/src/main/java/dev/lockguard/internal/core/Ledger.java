package dev.lockguard.internal.core;

import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The report-once-or-worse rule, written once: a finding goes out the first time its key is seen,
 * and again only when it is more severe than what went out before under that key.
 *
 * <p>Each user keeps a ledger of its own keys: the report keys findings by id; the latch detector
 * and the watchdog key them by id too, but ask before they build the finding (building captures
 * stacks); the lock-order graph keys a cycle by its locks, since cycles over different locks may
 * share an id and listeners hear of each. A ledger keeps a value per key: the report keeps the
 * finding itself, the graph the cycle's edges, so that it can forget a cycle whose lock died.
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
  /** What a finding as severe as the one recorded under its key does. */
  public enum Ties {
    /**
     * Goes out and replaces the recorded value: the report keeps the latest word on a bug that a
     * detector re-reported because it learned more (a queue race observed after the pair was
     * reported as unsafe, both errors).
     */
    REPLACE,
    /** Is a repeat, and is dropped: a detector publishes each finding once, then only upgrades. */
    DROP
  }

  private record Entry<V>(Severity severity, V value) {}

  private final Ties ties;
  private final Map<K, Entry<V>> entries = new LinkedHashMap<>();

  public Ledger(Ties ties) {
    this.ties = ties;
  }

  /**
   * Records {@code value} under {@code key} if the key is new or {@code severity} is worse than
   * the recorded one (or as bad, under {@link Ties#REPLACE}); returns whether it did, that is
   * whether the finding goes out. A finding is never recorded over a worse one.
   */
  public synchronized boolean admit(K key, Severity severity, V value) {
    Entry<V> recorded = entries.get(key);
    if (recorded != null) {
      int order = severity.compareTo(recorded.severity()); // ERROR < WARNING < INFO
      if (order > 0 || order == 0 && ties == Ties.DROP) {
        return false;
      }
    }
    entries.put(key, new Entry<>(severity, value)); // a known key keeps its place
    return true;
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
