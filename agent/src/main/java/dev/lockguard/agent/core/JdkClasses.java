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
