package dev.lockguard.agent.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The curated JDK classes whose monitors users deadlock on, retransformed at start-up.
 *
 * <p>Each group is a set of bootstrap classes that application code locks through their
 * synchronized methods. Start-up cost per group is measured in {@code docs/jdk-coverage.md}.
 * {@code jdk=none} switches them all off; {@code jdk=Vector;Hashtable} picks groups.
 */
public final class JdkClasses {
  /** Group name, as the {@code jdk=} option spells it, to the classes it covers. */
  public static final Map<String, List<String>> GROUPS = groups();

  private JdkClasses() {}

  private static Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    // Collections.synchronizedList(...) and friends: every method synchronizes on "mutex",
    // and callers must also hold it to iterate, which is where orders get mixed up.
    groups.put("Collections", List.of(
        "java.util.Collections$SynchronizedCollection",
        "java.util.Collections$SynchronizedList",
        "java.util.Collections$SynchronizedRandomAccessList",
        "java.util.Collections$SynchronizedSet",
        "java.util.Collections$SynchronizedSortedSet",
        "java.util.Collections$SynchronizedNavigableSet",
        "java.util.Collections$SynchronizedMap",
        "java.util.Collections$SynchronizedSortedMap",
        "java.util.Collections$SynchronizedNavigableMap"));
    // Legacy synchronized collections: every public method is a synchronized method.
    groups.put("Vector", List.of("java.util.Vector", "java.util.Stack"));
    groups.put("Hashtable", List.of("java.util.Hashtable"));
    // StringBuffer shared between threads (loggers, report builders) is locked per call.
    groups.put("StringBuffer", List.of("java.lang.StringBuffer"));
    // Observable notifies observers outside its lock, but add/delete/setChanged hold it.
    groups.put("Observable", List.of("java.util.Observable"));
    // Blocking queues run foreign code under their own ReentrantLock: drainTo calls c.add() (two
    // queues draining into each other, or into a synchronized collection, deadlock), and the
    // priority queues call compareTo/getDelay of the elements. Iterators take the same lock.
    groups.put("BlockingQueues", List.of(
        "java.util.concurrent.ArrayBlockingQueue",
        "java.util.concurrent.ArrayBlockingQueue$Itr",
        "java.util.concurrent.LinkedBlockingQueue",
        "java.util.concurrent.LinkedBlockingQueue$Itr",
        "java.util.concurrent.LinkedBlockingQueue$LBQSpliterator",
        "java.util.concurrent.LinkedBlockingDeque",
        "java.util.concurrent.LinkedBlockingDeque$AbstractItr",
        "java.util.concurrent.LinkedBlockingDeque$LBDSpliterator",
        "java.util.concurrent.PriorityBlockingQueue",
        "java.util.concurrent.DelayQueue",
        "java.util.concurrent.DelayQueue$Itr"));
    // Writes synchronize on "lock" and run the elements' equals and the caller's predicates,
    // operators and comparators (removeIf, replaceAll, sort, addIfAbsent) under it.
    groups.put("CopyOnWrite", List.of(
        "java.util.concurrent.CopyOnWriteArrayList",
        "java.util.concurrent.CopyOnWriteArrayList$COWSubList",
        "java.util.concurrent.CopyOnWriteArraySet"));
    // Handlers' publish is synchronized; before JDK 24 (JDK-8349206) it formats the record, so
    // the parameters' toString(), under the handler's monitor.
    groups.put("Logging", List.of(
        "java.util.logging.Handler",
        "java.util.logging.StreamHandler",
        "java.util.logging.ConsoleHandler",
        "java.util.logging.FileHandler",
        "java.util.logging.SocketHandler",
        "java.util.logging.MemoryHandler"));
    // format/printf run the arguments' toString() and formatTo() under the stream's lock.
    groups.put("PrintStream", List.of("java.io.PrintStream", "java.io.PrintWriter"));
    return groups;
  }

  /**
   * The classes selected by the {@code jdk} option's value.
   *
   * @throws IllegalArgumentException naming an unknown group and listing the valid ones
   */
  public static Set<String> select(String value) {
    if (value == null || value.equals("all")) {
      return flatten(GROUPS.keySet());
    }
    if (value.equals("none")) {
      return Set.of();
    }
    List<String> picked = new ArrayList<>();
    for (String group : value.split(";")) {
      String name = group.trim();
      if (name.equals("all") || name.equals("none")) {
        throw new IllegalArgumentException("option \"jdk\" has the bad value \"" + value
            + "\": \"" + name + "\" stands alone (jdk=" + name + "); it cannot be listed with"
            + " groups. Give jdk=all, jdk=none, or groups separated by ';' from "
            + String.join(", ", GROUPS.keySet()) + ".");
      }
      if (!GROUPS.containsKey(name)) {
        throw new IllegalArgumentException("option \"jdk\" names the unknown group \"" + name
            + "\". Valid values: all, none, or groups separated by ';' from "
            + String.join(", ", GROUPS.keySet()) + ".");
      }
      picked.add(name);
    }
    return flatten(picked);
  }

  private static Set<String> flatten(Iterable<String> groupNames) {
    List<String> classes = new ArrayList<>();
    for (String group : groupNames) {
      classes.addAll(GROUPS.get(group));
    }
    return Set.copyOf(classes);
  }
}
