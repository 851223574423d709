package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.PerThread;
import dev.lockguard.internal.core.Site;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.internal.core.Stacks;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Confirmation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Confirms a predicted deadlock by steering the schedule, as DeadlockFuzzer (PLDI 2009) does.
 *
 * <p>Armed with {@code POTENTIAL_DEADLOCK} findings, it watches every blocking acquisition made
 * while the thread holds a lock. An acquisition at one of a cycle's edges (the held lock taken
 * at the edge's "held at" site, the new one at its "acquired at" site) holds the thread back, for
 * a bounded time, holding what it holds. When the threads held back form a cycle (each wants a
 * lock that the next one holds) the deadlock is real: the finding is reported again with {@code
 * CONFIRMED} and the witness, and the thread that closed the cycle gets the throw policy's
 * exception instead of blocking, so that the others go on once it lets its locks go. A thread
 * whose hold-back runs out goes on unsteered, so steering never hangs anything by itself.
 *
 * <p>Sites are matched by class, method and line, so a finding from an earlier run (or another
 * JVM) steers the same code. Only the armed run pays: unarmed, the hook reads one volatile field.
 */
public final class Steering {
  /** Read on every blocking nested acquisition; true only while armed. */
  static volatile boolean active;

  private static final Object LOCK = new Object();
  /** Guarded by LOCK. */
  private static List<Target> targets = List.of();
  private static final List<Arrival> waiting = new ArrayList<>();
  private static long holdNanos;
  private static int attempt;
  private static boolean done;

  private Steering() {}

  /** One armed finding: its edges as site keys, and how far steering got with it. */
  private static final class Target {
    final Violation finding;
    final String[] heldSites;
    final String[] acquiredSites;
    int edgesReached;
    Violation confirmed;

    Target(Violation finding) {
      this.finding = finding;
      List<Violation.EdgeRef> edges = finding.edges();
      heldSites = new String[edges.size()];
      acquiredSites = new String[edges.size()];
      for (int i = 0; i < edges.size(); i++) {
        Violation.EdgeRef edge = edges.get(i);
        heldSites[i] = edge.heldAt().isEmpty() ? "" : siteKey(edge.heldAt().get(0));
        acquiredSites[i] = edge.acquiredAt().isEmpty() ? "" : siteKey(edge.acquiredAt().get(0));
      }
    }
  }

  /** A thread held back at a cycle's edge: what it holds and what it is about to take. */
  private static final class Arrival {
    final String thread;
    final Object[] held;
    final String[] heldNames;
    final Object wanted;
    final String wantedName;
    final long targets;
    final List<String> stack;

    Arrival(String thread, Object[] held, String[] heldNames, Object wanted, String wantedName,
        long targets, List<String> stack) {
      this.thread = thread;
      this.held = held;
      this.heldNames = heldNames;
      this.wanted = wanted;
      this.wantedName = wantedName;
      this.targets = targets;
      this.stack = stack;
    }

    int indexOfHeld(Object key) {
      for (int i = 0; i < held.length; i++) {
        if (held[i] == key) {
          return i;
        }
      }
      return -1;
    }
  }

  /** What one armed run showed about one finding. */
  public record Result(Violation finding, boolean confirmed, int edgesReached, int edgesInCycle) {}

  /**
   * Arms steering for the {@code POTENTIAL_DEADLOCK} findings among {@code findings} (at most 64,
   * the first ones); {@code attemptNumber} goes into a confirmation's {@code attempts}.
   */
  public static void arm(List<Violation> findings, long holdMillis, int attemptNumber) {
    List<Target> armed = new ArrayList<>();
    for (Violation finding : findings) {
      if (finding.kind() == Violation.Kind.POTENTIAL_DEADLOCK && !finding.edges().isEmpty()
          && armed.size() < Long.SIZE) {
        armed.add(new Target(finding));
      }
    }
    synchronized (LOCK) {
      targets = List.copyOf(armed);
      waiting.clear();
      holdNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, holdMillis));
      attempt = Math.max(1, attemptNumber);
      done = false;
      active = !armed.isEmpty();
    }
  }

  /** Disarms steering, lets every held-back thread go, and says what the armed run showed. */
  public static List<Result> disarm() {
    List<Result> results = new ArrayList<>();
    synchronized (LOCK) {
      active = false;
      for (Target target : targets) {
        results.add(new Result(target.finding, target.confirmed != null, target.edgesReached,
            target.finding.edges().size()));
      }
      targets = List.of();
      waiting.clear();
      LOCK.notifyAll();
    }
    return results;
  }

  /**
   * Arms steering for this whole run (the agent's {@code confirm=} option): a finding still not
   * confirmed when the JVM exits is reported {@code NOT_REPRODUCED}.
   */
  public static void armForRun(List<Violation> findings, long holdMillis) {
    arm(findings, holdMillis, 1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Result result : disarm()) {
        if (!result.confirmed()) {
          notReproduced(result.finding(), 1, result.edgesReached());
        }
      }
    }, "lockguard-steering-at-exit"));
  }

  /** Reports {@code finding} as not reproduced after {@code attempts} steered runs; returns it. */
  public static Violation notReproduced(Violation finding, int attempts, int edgesReached) {
    Violation outcome = finding.withConfirmation(new Confirmation(
        Confirmation.Status.NOT_REPRODUCED, attempts, edgesReached, finding.edges().size(),
        List.of()));
    Findings.report(outcome);
    return outcome;
  }

  /**
   * Called before a blocking acquisition of {@code key} ({@code node}) at {@code siteId} by a
   * thread that holds locks, while armed: holds the thread back if this is one of a cycle's
   * edges, and throws the policy's exception if its arrival completes the deadlock. {@code
   * heldNodes} are the nodes of the locks the thread holds, outermost first.
   */
  static void arrive(ThreadState ts, Object key, Node node, int siteId, Node[] heldNodes) {
    List<Target> armed;
    synchronized (LOCK) {
      armed = done ? List.of() : targets;
    }
    long matched = match(armed, ts, siteKey(Sites.get(siteId)));
    if (matched == 0) {
      return;
    }
    Object[] held = new Object[ts.depth];
    String[] heldNames = new String[ts.depth];
    for (int i = 0; i < ts.depth; i++) {
      held[i] = ts.keys[i];
      heldNames[i] = heldNodes[i].name;
    }
    Arrival arrival = new Arrival(ts.thread.getName(), held, heldNames, key, node.name, matched,
        Findings.frames(Stacks.current(Stacks.Trim.HOOK)));
    Violation confirmed = hold(arrival);
    if (confirmed != null) {
      Findings.report(confirmed);
      RuntimeException stop = Config.current().violation().apply(
          breakMessage(confirmed, arrival.thread));
      stop.setStackTrace(Stacks.current(Stacks.Trim.HOOK)); // from the application's frame on
      throw new PerThread.Deliberate(stop);
    }
  }

  /** The targets (as a bit set) with an edge from one of the thread's held sites to this one. */
  private static long match(List<Target> armed, ThreadState ts, String acquiredSite) {
    long matched = 0;
    for (int t = 0; t < armed.size(); t++) {
      Target target = armed.get(t);
      for (int e = 0; e < target.acquiredSites.length; e++) {
        if (target.acquiredSites[e].equals(acquiredSite) && holdsFrom(ts, target.heldSites[e])) {
          matched |= 1L << t;
        }
      }
    }
    return matched;
  }

  private static boolean holdsFrom(ThreadState ts, String heldSite) {
    for (int i = 0; i < ts.depth; i++) {
      if (siteKey(Sites.get(ts.site(i))).equals(heldSite)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits, holding the thread's locks, until the arrivals form a deadlock (returns the confirmed
   * finding if this arrival closed it, else null), the hold-back runs out, or steering ends.
   */
  private static Violation hold(Arrival arrival) {
    long deadline = System.nanoTime() + holdNanos;
    boolean interrupted = false;
    try {
      synchronized (LOCK) {
        if (!active || done) {
          return null;
        }
        waiting.add(arrival);
        noteProgress();
        List<Arrival> cycle = cycleThrough(arrival);
        if (cycle != null) {
          done = true;
          waiting.clear();
          LOCK.notifyAll();
          return confirm(cycle);
        }
        while (active && !done && waiting.contains(arrival)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(LOCK, left);
          } catch (InterruptedException e) {
            interrupted = true; // the application's interrupt: stop holding back, keep the flag
            break;
          }
        }
        waiting.remove(arrival);
        return null;
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Records, per target, the most of its edges that held-back threads occupied at once. */
  private static void noteProgress() {
    for (int t = 0; t < targets.size(); t++) {
      Target target = targets.get(t);
      int count = 0;
      for (Arrival waiter : waiting) {
        if ((waiter.targets & (1L << t)) != 0) {
          count++;
        }
      }
      target.edgesReached = Math.max(target.edgesReached,
          Math.min(count, target.finding.edges().size()));
    }
  }

  /**
   * The held-back threads that, starting at {@code start}, each want a lock the next one holds
   * and come back to {@code start}, all at edges of one target; null if there is none.
   */
  private static List<Arrival> cycleThrough(Arrival start) {
    List<Arrival> path = new ArrayList<>();
    path.add(start);
    return extend(path, start.targets) ? path : null;
  }

  private static boolean extend(List<Arrival> path, long common) {
    Arrival last = path.get(path.size() - 1);
    if (path.size() > 1 && path.get(0).indexOfHeld(last.wanted) >= 0) {
      return true;
    }
    for (Arrival next : waiting) {
      long both = common & next.targets;
      if (both != 0 && !path.contains(next)
          && next.indexOfHeld(last.wanted) >= 0) {
        path.add(next);
        if (extend(path, both)) {
          return true;
        }
        path.remove(path.size() - 1);
      }
    }
    return false;
  }

  /** Marks the target that the cycle's threads share as confirmed, with the witness. */
  private static Violation confirm(List<Arrival> cycle) {
    long common = -1L;
    for (Arrival arrival : cycle) {
      common &= arrival.targets;
    }
    Target target = targets.get(Long.numberOfTrailingZeros(common));
    List<Confirmation.Witness> witness = new ArrayList<>();
    for (int i = 0; i < cycle.size(); i++) {
      Arrival arrival = cycle.get(i);
      Arrival previous = cycle.get((i + cycle.size() - 1) % cycle.size());
      int heldIndex = arrival.indexOfHeld(previous.wanted);
      witness.add(new Confirmation.Witness(arrival.thread,
          arrival.heldNames[Math.max(heldIndex, 0)], arrival.wantedName, arrival.stack));
    }
    target.edgesReached = target.finding.edges().size();
    target.confirmed = target.finding.withConfirmation(new Confirmation(
        Confirmation.Status.CONFIRMED, attempt, cycle.size(), target.finding.edges().size(),
        witness));
    return target.confirmed;
  }

  private static String breakMessage(Violation confirmed, String thread) {
    StringBuilder message = new StringBuilder("lockguard: CONFIRMED deadlock [")
        .append(confirmed.id()).append("]: ");
    List<Confirmation.Witness> witness = confirmed.confirmation().witness();
    for (int i = 0; i < witness.size(); i++) {
      Confirmation.Witness w = witness.get(i);
      message.append(i == 0 ? "" : "; ").append("thread \"").append(w.thread())
          .append("\" holds ").append(w.held()).append(" and wants ").append(w.wanted());
    }
    return message.append(". Every one of them was about to block for ever; lockguard stopped")
        .append(" thread \"").append(thread).append("\" instead.").toString();
  }

  /** {@code pkg.Class.method:line} of a site. */
  private static String siteKey(Site site) {
    return site.className + "." + site.methodName + ":" + Math.max(site.line, 0);
  }

  /**
   * {@code pkg.Class.method:line} of a report frame such as {@code pkg.Class.method(Foo.java:12)},
   * with any {@code loader//} or {@code module@version/} prefix left out.
   */
  static String siteKey(String frame) {
    int open = frame.indexOf('(');
    String method = open < 0 ? frame : frame.substring(0, open);
    method = method.substring(method.lastIndexOf('/') + 1);
    int line = 0;
    int colon = frame.lastIndexOf(':');
    int close = frame.lastIndexOf(')');
    if (open >= 0 && colon > open && close > colon) {
      try {
        line = Math.max(Integer.parseInt(frame.substring(colon + 1, close)), 0);
      } catch (NumberFormatException notALine) {
        line = 0;
      }
    }
    return method + ":" + line;
  }
}
