package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.Site;
import dev.lockguard.internal.core.Sites;

/**
 * What the lock-order detector tells the watchdog about a deadlock's locks: their graph names and
 * types, and where each deadlocked thread took the lock it holds (its held-lock stack keeps the
 * site of every acquisition). Slow path only.
 */
final class HeldLocks implements LockNames.ByIdentity {
  @Override
  public String name(int identityHash, String className) {
    Node node = LockGraph.nodeByIdentityHash(identityHash, className);
    return node == null ? null : node.name;
  }

  @Override
  public String type(int identityHash, String className) {
    Node node = LockGraph.nodeByIdentityHash(identityHash, className);
    return node == null ? null : node.type;
  }

  /**
   * Reads another thread's held-lock stack. That thread is deadlocked, so the stack does not
   * change while it is read; it was written before the thread blocked in the lock it waits for.
   * The arrays are read once each, and a length that does not fit is taken as "not known".
   */
  @Override
  public Site heldAt(long threadId, int identityHash, String className) {
    ThreadState ts = ThreadState.of(threadId);
    if (ts == null) {
      return null;
    }
    Object[] keys = ts.keys;
    long[] entries = ts.entries;
    int depth = Math.min(ts.depth, Math.min(keys.length, entries.length));
    for (int i = depth - 1; i >= 0; i--) {
      Object key = keys[i];
      if (key != null && LockKeys.shownAs(key, identityHash, className)) {
        Site site = Sites.get(ThreadState.siteOf(entries[i]));
        return site.id == Sites.UNKNOWN ? null : site;
      }
    }
    return null;
  }
}
