package dev.lockguard.agent.report;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.report.OrderGraph;
import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unions the lock-order graphs of several reports by lock name and finds the cycles that no single
 * report holds: two forked test JVMs that each took half of an inversion.
 *
 * <p>The severity follows what the names stand for ({@link OrderGraph.Stands}), as Linux lockdep
 * reasons about lock classes: a cycle over names that each stand for one object (a static field,
 * a class) is as real as one seen in one JVM, an {@code ERROR}; a cycle through a name that stands
 * for many objects (an instance field) deadlocks only if the same instances meet, a {@code
 * WARNING} that says so. A cycle whose every edge takes a read lock is not reported: readers do
 * not block each other.
 *
 * <p>A cycle found here gets the id the lock-order detector would give it had one JVM seen both
 * halves (its sites and lock names), so that it folds into that finding when one JVM did.
 */
final class GraphMerge {
  /** Cycles searched at most, so that a dense merged graph cannot make the merge slow. */
  static final int MAX_CYCLES = 1000;

  /** An edge of the merged graph and where it came from. */
  private record Sourced(OrderGraph.Edge edge, int report) {}

  private final List<Report> reports;
  private final List<String> sources;
  private final Map<String, OrderGraph.Lock> locks = new LinkedHashMap<>();
  /** The first edge of each pair of names and modes, by its source name. */
  private final Map<String, List<Sourced>> out = new LinkedHashMap<>();
  /** The reports that hold each pair of names and modes. */
  private final Map<String, Set<Integer>> holders = new HashMap<>();
  private final List<OrderGraph.Edge> union = new ArrayList<>();
  private boolean truncated;

  private GraphMerge(List<Report> reports, List<String> sources) {
    this.reports = reports;
    this.sources = sources;
    for (int i = 0; i < reports.size(); i++) {
      add(reports.get(i).graph(), i);
    }
  }

  /** The union of the reports' graphs. */
  static OrderGraph union(List<Report> reports) {
    GraphMerge merge = new GraphMerge(reports, List.of());
    return new OrderGraph(new ArrayList<>(merge.locks.values()), merge.union, merge.truncated);
  }

  /**
   * The cycles of the merged graph that no single report holds, as {@code POTENTIAL_DEADLOCK}
   * findings whose edges name the JVM and source each came from.
   *
   * @param sources what to call each report in a message (its file), by index
   */
  static List<Violation> crossJvmCycles(List<Report> reports, List<String> sources) {
    return new GraphMerge(reports, sources).cycles();
  }

  private void add(OrderGraph graph, int report) {
    truncated |= graph.truncated();
    for (OrderGraph.Lock lock : graph.locks()) {
      // a name stands for one object only if every JVM says so
      locks.merge(lock.name(), lock, (known, other) ->
          known.stands() == OrderGraph.Stands.MANY ? known : other);
    }
    for (OrderGraph.Edge edge : graph.edges()) {
      String key = key(edge);
      if (holders.computeIfAbsent(key, k -> new HashSet<>()).add(report)
          && holders.get(key).size() == 1) {
        out.computeIfAbsent(edge.from(), k -> new ArrayList<>()).add(new Sourced(edge, report));
        union.add(edge);
      }
    }
  }

  private static String key(OrderGraph.Edge edge) {
    return edge.from() + '\0' + edge.to() + '\0' + edge.fromShared() + edge.toShared();
  }

  /** The cycles, most severe first, then by message: graphs list edges in no stable order. */
  private List<Violation> cycles() {
    Set<String> found = new HashSet<>();
    List<Violation> violations = new ArrayList<>();
    search:
    for (List<Sourced> edges : out.values()) {
      for (Sourced first : edges) {
        if (found.size() >= MAX_CYCLES) {
          break search;
        }
        List<Sourced> cycle = shortestCycle(first);
        if (cycle == null || !found.add(canonical(cycle)) || inOneReport(cycle)
            || allShared(cycle)) {
          continue;
        }
        violations.add(finding(cycle));
      }
    }
    violations.sort(Comparator.comparing(Violation::severity).thenComparing(Violation::message));
    return violations;
  }

  /** The edge {@code first} followed by the shortest path back to its source, or null. */
  private List<Sourced> shortestCycle(Sourced first) {
    String start = first.edge().from();
    Map<String, Sourced> via = new HashMap<>();
    ArrayDeque<String> queue = new ArrayDeque<>();
    queue.add(first.edge().to());
    via.put(first.edge().to(), first);
    while (!queue.isEmpty()) {
      String node = queue.poll();
      for (Sourced next : out.getOrDefault(node, List.of())) {
        String to = next.edge().to();
        if (to.equals(start)) {
          List<Sourced> path = new ArrayList<>();
          path.add(next);
          for (String at = node; !at.equals(start); ) {
            Sourced edge = via.get(at);
            path.add(0, edge);
            at = edge.edge().from();
          }
          return path;
        }
        if (!via.containsKey(to) && !to.equals(start)) {
          via.put(to, next);
          queue.add(to);
        }
      }
    }
    return null;
  }

  /** The cycle's edges as a set: the same cycle found from another of its edges is one. */
  private static String canonical(List<Sourced> cycle) {
    List<String> keys = new ArrayList<>();
    for (Sourced edge : cycle) {
      keys.add(key(edge.edge()));
    }
    keys.sort(null);
    return String.join("\n", keys);
  }

  /** Whether one report holds every edge: that JVM's own detector judged the cycle. */
  private boolean inOneReport(List<Sourced> cycle) {
    Set<Integer> common = null;
    for (Sourced edge : cycle) {
      Set<Integer> holding = holders.get(key(edge.edge()));
      if (common == null) {
        common = new HashSet<>(holding);
      } else {
        common.retainAll(holding);
      }
    }
    return common != null && !common.isEmpty();
  }

  private static boolean allShared(List<Sourced> cycle) {
    for (Sourced edge : cycle) {
      if (!edge.edge().toShared() || !edge.edge().fromShared()) {
        return false;
      }
    }
    return true;
  }

  private Violation finding(List<Sourced> cycle) {
    List<Violation.LockRef> lockRefs = new ArrayList<>();
    List<Violation.EdgeRef> edgeRefs = new ArrayList<>();
    Set<String> threads = new LinkedHashSet<>();
    List<String> sites = new ArrayList<>();
    List<String> idParts = new ArrayList<>();
    List<String> many = new ArrayList<>();
    StringBuilder chain = new StringBuilder();
    StringBuilder where = new StringBuilder();
    for (Sourced sourced : cycle) {
      OrderGraph.Edge edge = sourced.edge();
      OrderGraph.Lock lock = locks.get(edge.from());
      String type = lock == null ? "unknown" : lock.type();
      lockRefs.add(new Violation.LockRef(edge.from(), type));
      if (lock == null || lock.stands() == OrderGraph.Stands.MANY) {
        many.add(edge.from());
      }
      String thread = edge.thread() + " (" + jvm(sourced.report()) + ")";
      threads.add(thread);
      edgeRefs.add(new Violation.EdgeRef(edge.from(), edge.to(), thread, edge.heldAt(),
          edge.acquiredAt()));
      String site = edge.acquiredAt().isEmpty() ? edge.to() : edge.acquiredAt().get(0);
      sites.add(site);
      idParts.add(site);
      idParts.add("lock:" + edge.from());
      chain.append(edge.from()).append(" -> ");
      where.append(where.length() == 0 ? "" : "; ").append(edge.from()).append(" -> ")
          .append(edge.to()).append(" in ").append(jvm(sourced.report()));
    }
    chain.append(cycle.get(0).edge().from());
    boolean real = many.isEmpty();
    String message = "Lock-order cycle " + chain + " across JVMs (" + where + "): "
        + (real
            ? "each lock is one object in every JVM (a static field or a class), so two threads"
                + " running these paths at the same moment deadlock."
            : String.join(", ", many) + (many.size() == 1 ? " names" : " name")
                + " many objects (an instance field or this): these paths deadlock only if they"
                + " meet on the same instances in one JVM.");
    String id = Findings.stableId(Violation.Kind.POTENTIAL_DEADLOCK, idParts);
    return new Violation(id, Violation.Kind.POTENTIAL_DEADLOCK,
        real ? Violation.Severity.ERROR : Violation.Severity.WARNING, message,
        List.copyOf(threads), lockRefs, edgeRefs, sites);
  }

  /** {@code pid 1234, lockguard-1234.json}: the JVM and file an edge came from. */
  private String jvm(int report) {
    String pid = "pid " + reports.get(report).jvm().pid();
    return report < sources.size() ? pid + ", " + sources.get(report) : pid;
  }
}
