package dev.lockguard.benchmarks.harness;

import dev.lockguard.benchmarks.Attachment;
import dev.lockguard.benchmarks.Form;
import dev.lockguard.benchmarks.Locks;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Measures the heap a form retains after one million locks have been used and dropped.
 *
 * <p>Each form and workload runs in a fresh JVM (the child): it uses a few thousand locks first,
 * so that one-time costs (class loading, first table sizes) are in the baseline, measures the
 * used heap after full collections, uses the million locks, drops them, collects again and
 * reports the difference. What is left is what the detector keeps per lock after the lock itself
 * is garbage: the figure the target bounds. It then uses one more lock and measures again, which
 * tells memory a detector reclaims lazily (on its next piece of work) from memory it leaks.
 *
 * <p>Workloads: {@code alone} (each lock taken while holding nothing), {@code edge} (each taken
 * while holding one long-lived lock, so a million new edges), {@code monitor} (a
 * {@code synchronized} block on each of a million objects; not for Guava, which cannot see
 * monitors).
 *
 * <p>Usage: {@code MemoryHarness [--locks N] [--forms bare,lockguard,guava] [--agent JAR]}
 */
public final class MemoryHarness {
  static final List<String> WORKLOADS = List.of("alone", "edge", "monitor");
  private static final int WARM_UP_LOCKS = 10_000;
  private static final String CHILD = "--child";

  /** Written by the workloads so that nothing is optimised away. */
  static long sink;

  private MemoryHarness() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(CHILD)) {
      child(args[1], Integer.parseInt(args[2]));
      return;
    }
    int locks = 1_000_000;
    List<Form> forms = List.of(Form.BARE, Form.LOCKGUARD, Form.GUAVA);
    String agent = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--locks" -> locks = Integer.parseInt(args[++i]);
        case "--forms" -> forms = StartupHarness.forms(args[++i]);
        case "--agent" -> agent = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    ChildJvm child = new ChildJvm(agent);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "| workload (%,d locks) | form | retained MB | retained B/lock"
            + " | retained MB after one more lock | run ms | ≤ 10 MB per million |%n", locks));
    out.append("|---|---|---:|---:|---:|---:|---|\n");
    for (String workload : WORKLOADS) {
      for (Form form : forms) {
        if (form == Form.GUAVA && workload.equals("monitor")) {
          continue;
        }
        String line = resultLine(ChildJvm.run(child.command(form, List.of("-Xmx1g"),
            MemoryHarness.class, CHILD, workload, Integer.toString(locks))));
        long retained = field(line, "retained");
        long settled = field(line, "settled");
        long millis = field(line, "millis");
        out.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.1f | %.3f | %d | %s |%n",
            workload, form.id(), retained / 1e6, (double) retained / locks, settled / 1e6,
            millis, verdict(retained, settled, locks)));
        System.err.println("memory " + workload + " " + form.id() + ": " + line.trim());
      }
    }
    out.append("\ntarget: one million locks used and then collected retain at most 10 MB"
        + " (heap -Xmx1g, default collector; used heap after System.gc())\n");
    System.out.print(out);
  }

  /** The target, scaled to the number of locks: at most 10 MB per million. */
  static String verdict(long retained, long settled, int locks) {
    double bound = 10e6 * locks / 1_000_000;
    if (retained <= bound) {
      return "met";
    }
    return settled <= bound ? "MISSED (met once reclaimed)" : "MISSED";
  }

  private static void child(String workload, int locks) throws InterruptedException {
    Form form = Form.current();
    Attachment.verify(form);
    run(workload, WARM_UP_LOCKS);
    usedAfterGc();
    run(workload, 1); // lets a lazy detector reclaim the warm-up's locks before the baseline
    long before = usedAfterGc();
    long start = System.nanoTime();
    run(workload, locks);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long after = usedAfterGc();
    // A detector may drop collected locks lazily, on its next piece of work: one more lock shows
    // whether the memory is leaked or only not yet reclaimed.
    run(workload, 1);
    long settled = usedAfterGc();
    System.out.println("retained=" + (after - before) + " settled=" + (settled - before)
        + " millis=" + millis + " before=" + before + " after=" + after + " sink=" + sink);
  }

  private static void run(String workload, int locks) {
    switch (workload) {
      case "alone" -> alone(locks);
      case "edge" -> edge(locks);
      case "monitor" -> monitor(locks);
      default -> throw new IllegalArgumentException("unknown workload " + workload);
    }
  }

  private static void alone(int locks) {
    for (int i = 0; i < locks; i++) {
      ReentrantLock lock = Locks.newLock("MemoryHarness.alone");
      lock.lock();
      try {
        sink++;
      } finally {
        lock.unlock();
      }
    }
  }

  private static void edge(int locks) {
    ReentrantLock outer = Locks.newLock("MemoryHarness.outer");
    for (int i = 0; i < locks; i++) {
      outer.lock();
      try {
        ReentrantLock lock = Locks.newLock("MemoryHarness.edge");
        lock.lock();
        try {
          sink++;
        } finally {
          lock.unlock();
        }
      } finally {
        outer.unlock();
      }
    }
  }

  private static void monitor(int locks) {
    for (int i = 0; i < locks; i++) {
      Object monitor = new Object();
      synchronized (monitor) {
        sink++;
      }
    }
  }

  /**
   * The used heap after full collections. Several rounds with pauses: weakly held detector
   * entries are cleared by one collection and may be expunged only after it.
   */
  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The child's result line; it may print other lines (the form check, the agent) before. */
  private static String resultLine(String output) {
    for (String line : output.split("\\R")) {
      if (line.startsWith("retained=")) {
        return line;
      }
    }
    throw new IllegalStateException("no result line in child output:\n" + output);
  }

  private static long field(String line, String name) {
    for (String part : line.trim().split(" ")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    throw new IllegalStateException("no " + name + " in child output: " + line);
  }
}
