package dev.lockguard.internal.deadlock;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Stacks;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Threads deadlocked in class initialization, which {@link ThreadMXBean#findDeadlockedThreads()}
 * does not see: a thread waiting for another thread to finish initializing a class is {@code
 * RUNNABLE}, with no lock in its {@link ThreadInfo}, and its stack shows only the frame that
 * touched the class (or that class's superclass) and {@code <clinit>} frames.
 *
 * <p>Only the JVM's thread dump ({@code jcmd Thread.print}, the {@code DiagnosticCommand} MBean's
 * {@code threadPrint}) names the class each such thread waits for ("waiting on the Class
 * initialization monitor for ...", printed by JDK 17 and later). The dump stops the JVM at a
 * safepoint, so it is taken only when at least two {@code RUNNABLE} threads used no CPU time since
 * the watchdog's last look, their top frame is Java code (or a native method of {@code Class} or
 * {@code Unsafe}, which initialize classes), and that set of threads changed since the last dump.
 *
 * <p>A class's initialization is owned by the thread running its {@code <clinit>}; when no
 * thread's stack shows it (a class with no initializer, or one that waits for its superclass
 * first), by the stuck thread that waits for one of its superclasses or superinterfaces. Threads
 * that each wait for a class the next one owns, back to the first, are a {@code DEADLOCK}.
 */
final class ClassInitStalls {
  private static final Pattern HEADER = Pattern.compile("^\"(.*)\" #(\\d+)");
  private static final Pattern WAITING =
      Pattern.compile("- waiting on the Class initialization monitor for (\\S+)");
  /** The type of a class's initialization lock in a report, as the detector writes it. */
  private static final String LOCK_TYPE = "class initialization";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  /** The CPU time of each {@code RUNNABLE} thread at the last look. */
  private Map<Long, Long> cpuAtLastLook = Map.of();
  private Set<Long> stuckAtLastDump = Set.of();
  /** Every deadlock found so far: such a deadlock never ends. */
  private final List<DeadlockCycles.Cycle> found = new CopyOnWriteArrayList<>();

  /** The class-initialization deadlocks found so far, each with its threads and report. */
  List<DeadlockCycles.Cycle> found() {
    return found;
  }

  /**
   * One look: the class-initialization deadlocks present now, each with its threads and report;
   * the new ones are also added to {@link #found()}.
   */
  List<DeadlockCycles.Cycle> findNow() {
    Set<Long> stuck = stuckThreads();
    if (stuck.size() < 2 || stuck.equals(stuckAtLastDump)) {
      return List.of();
    }
    stuckAtLastDump = stuck;
    Map<Long, String> waits = waitsIn(threadDump());
    waits.keySet().retainAll(stuck);
    if (waits.size() < 2) {
      return List.of();
    }
    Map<Long, ThreadInfo> infos = new LinkedHashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(
        waits.keySet().stream().mapToLong(Long::longValue).toArray(), Integer.MAX_VALUE)) {
      if (info != null) {
        infos.put(info.getThreadId(), info);
      }
    }
    waits.keySet().retainAll(infos.keySet());
    List<DeadlockCycles.Cycle> now = cycles(waits, infos);
    for (DeadlockCycles.Cycle cycle : now) {
      if (found.stream().noneMatch(known -> known.threadIds().equals(cycle.threadIds()))) {
        found.add(cycle);
      }
    }
    return now;
  }

  /**
   * The {@code RUNNABLE} threads that used no CPU time since the last look and whose top frame
   * could be waiting for a class's initialization.
   */
  private Set<Long> stuckThreads() {
    Map<Long, Long> cpu = new HashMap<>();
    Set<Long> stuck = new TreeSet<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 1)) {
      if (info == null || info.getThreadState() != Thread.State.RUNNABLE) {
        continue;
      }
      long time = threads.getThreadCpuTime(info.getThreadId());
      cpu.put(info.getThreadId(), time);
      Long before = cpuAtLastLook.get(info.getThreadId());
      if (time >= 0 && before != null && before == time && mayWaitForAClass(info)) {
        stuck.add(info.getThreadId());
      }
    }
    cpuAtLastLook = cpu;
    return stuck;
  }

  private static boolean mayWaitForAClass(ThreadInfo info) {
    StackTraceElement[] stack = info.getStackTrace();
    if (stack.length == 0) {
      return false;
    }
    String type = stack[0].getClassName();
    return !stack[0].isNativeMethod() || type.equals("java.lang.Class")
        || type.equals("jdk.internal.misc.Unsafe");
  }

  /** The JVM's thread dump, or nothing when this JVM has no {@code DiagnosticCommand} MBean. */
  private static String threadDump() {
    try {
      return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
          new Object[] {new String[0]}, new String[] {String[].class.getName()}));
    } catch (JMException e) {
      return "";
    }
  }

  /** Thread id to the class it waits to see initialized, from a {@code Thread.print} dump. */
  static Map<Long, String> waitsIn(String dump) {
    Map<Long, String> waits = new LinkedHashMap<>();
    long thread = -1;
    for (String line : dump.split("\n")) {
      Matcher header = HEADER.matcher(line);
      if (header.find()) {
        thread = Long.parseLong(header.group(2));
        continue;
      }
      Matcher waiting = WAITING.matcher(line);
      if (thread >= 0 && waiting.find()) {
        waits.putIfAbsent(thread, waiting.group(1));
      }
    }
    return waits;
  }

  private static List<DeadlockCycles.Cycle> cycles(Map<Long, String> waits,
      Map<Long, ThreadInfo> infos) {
    Map<Long, Long> next = new HashMap<>();
    for (Map.Entry<Long, String> wait : waits.entrySet()) {
      Long owner = owner(wait.getValue(), waits, infos);
      if (owner != null && !owner.equals(wait.getKey())) {
        next.put(wait.getKey(), owner);
      }
    }
    List<DeadlockCycles.Cycle> cycles = new ArrayList<>();
    Set<Long> reported = new TreeSet<>();
    for (Long start : waits.keySet()) {
      List<Long> cycle = cycleFrom(start, next);
      if (!cycle.isEmpty() && reported.add(cycle.stream().min(Long::compare).orElseThrow())) {
        List<ThreadInfo> threads = new ArrayList<>();
        for (Long id : cycle) {
          threads.add(infos.get(id));
        }
        cycles.add(new DeadlockCycles.Cycle(threads, report(cycle, waits, infos)));
      }
    }
    return cycles;
  }

  /** Follows "waits for a class owned by" from {@code start}; the cycle it ends in, or empty. */
  private static List<Long> cycleFrom(Long start, Map<Long, Long> next) {
    List<Long> path = new ArrayList<>();
    Long current = start;
    while (current != null && !path.contains(current)) {
      path.add(current);
      current = next.get(current);
    }
    int loop = current == null ? -1 : path.indexOf(current);
    return loop != 0 ? List.of() : path; // each cycle once, from each of its threads
  }

  /** The stuck thread that holds {@code className}'s initialization, or null. */
  private static Long owner(String className, Map<Long, String> waits,
      Map<Long, ThreadInfo> infos) {
    for (ThreadInfo info : infos.values()) {
      for (StackTraceElement frame : info.getStackTrace()) {
        if (frame.getMethodName().equals("<clinit>") && frame.getClassName().equals(className)) {
          return info.getThreadId();
        }
      }
    }
    Class<?> type = loaded(className);
    for (Map.Entry<Long, String> wait : waits.entrySet()) {
      if (type != null && isAncestor(wait.getValue(), type)) {
        return wait.getKey();
      }
    }
    return null;
  }

  private static boolean isAncestor(String name, Class<?> type) {
    for (Class<?> parent = type.getSuperclass(); parent != null; parent = parent.getSuperclass()) {
      if (parent.getName().equals(name) || hasInterface(parent, name)) {
        return true;
      }
    }
    return hasInterface(type, name);
  }

  private static boolean hasInterface(Class<?> type, String name) {
    for (Class<?> parent : type.getInterfaces()) {
      if (parent.getName().equals(name) || hasInterface(parent, name)) {
        return true;
      }
    }
    return false;
  }

  /** The class of that name, already loaded since its initialization began; null if not found. */
  private static Class<?> loaded(String className) {
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(ClassLoader.getSystemClassLoader());
    for (Thread thread : allThreads()) {
      ClassLoader loader = thread.getContextClassLoader();
      if (loader != null && !loaders.contains(loader)) {
        loaders.add(loader);
      }
    }
    for (ClassLoader loader : loaders) {
      try {
        return Class.forName(className, false, loader);
      } catch (ClassNotFoundException | LinkageError | SecurityException e) {
        // not this loader's: try the next
      }
    }
    return null;
  }

  private static Thread[] allThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] all = new Thread[root.activeCount() + 16];
    return Arrays.copyOf(all, root.enumerate(all, true));
  }

  /** The {@code DEADLOCK} report of threads that each wait for a class the next one owns. */
  private static Violation report(List<Long> cycle, Map<Long, String> waits,
      Map<Long, ThreadInfo> infos) {
    List<String> names = new ArrayList<>();
    List<LockRef> locks = new ArrayList<>();
    List<EdgeRef> edges = new ArrayList<>();
    List<String> sites = new ArrayList<>();
    StringBuilder story = new StringBuilder();
    for (int i = 0; i < cycle.size(); i++) {
      ThreadInfo info = infos.get(cycle.get(i));
      String wanted = waits.get(cycle.get(i));
      String held = waits.get(cycle.get((i + cycle.size() - 1) % cycle.size()));
      StackTraceElement[] stack = Stacks.trim(info.getStackTrace(), Stacks.Trim.WAITER);
      names.add(info.getThreadName());
      locks.add(new LockRef(held, LOCK_TYPE));
      StackTraceElement[] initializer = initializerOf(info.getStackTrace(), held);
      // No frame of its initializer: the thread started it where it waits now (its superclass's
      // initialization comes first).
      edges.add(new EdgeRef(held, wanted, info.getThreadName(),
          Findings.frames(initializer.length > 0 ? initializer : stack), Findings.frames(stack)));
      sites.add(stack.length > 0 ? stack[0].toString() : info.getThreadName());
      story.append(i == 0 ? "" : "; ").append('"').append(info.getThreadName())
          .append("\" initializes ").append(held).append(" and waits for the initialization of ")
          .append(wanted);
    }
    String message = "Deadlock in class initialization: " + story + ". These threads will never"
        + " proceed: a class's initialization cannot be interrupted or timed out, and"
        + " ThreadMXBean does not report this deadlock.";
    return new Violation(Findings.stableId(Kind.DEADLOCK, sites), Kind.DEADLOCK, Severity.ERROR,
        message, names, locks, edges, sites);
  }

  /** The frames from {@code className}'s {@code <clinit>}, if the thread runs it; else none. */
  private static StackTraceElement[] initializerOf(StackTraceElement[] stack, String className) {
    for (int i = 0; i < stack.length; i++) {
      if (stack[i].getMethodName().equals("<clinit>")
          && stack[i].getClassName().equals(className)) {
        return Arrays.copyOfRange(stack, i, stack.length);
      }
    }
    return new StackTraceElement[0];
  }
}
