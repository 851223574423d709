package dev.lockguard.agent.queue;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Which instructions a branch decides: those it reaches before its immediate post-dominator.
 *
 * <p>That region is the transitive control dependence of the branch: an act in it runs or not
 * depending on the branch, an act after the paths join runs either way ({@code size()} checked
 * only to log does not decide the {@code take()} after it). Post-dominators are computed on the
 * normal control flow (exception edges are left out: exceptions are not the decision) with a
 * virtual exit after every return and throw, by the Cooper-Harvey-Kennedy iteration over the
 * reversed graph. A loop that never exits gets an edge from its head to the exit, so that its
 * branches still have post-dominators.
 */
final class ControlRegions {
  private final int exit;
  private final int[][] successors;
  private final int[] postDominator;

  /**
   * @param successors normal successors of each instruction (null where unreachable)
   * @param exits whether each instruction leaves the method (return or throw)
   */
  ControlRegions(int[][] successors, boolean[] exits) {
    this.exit = successors.length;
    this.successors = withExit(successors, exits);
    connectEndlessLoops();
    this.postDominator = postDominators();
  }

  /** The instructions that {@code branch} decides. */
  BitSet region(int branch) {
    BitSet region = new BitSet(exit);
    int stop = postDominator[branch];
    if (stop < 0) {
      return region;
    }
    int[] work = new int[exit + 1];
    int top = 0;
    for (int successor : successors[branch]) {
      work[top++] = successor;
    }
    while (top > 0) {
      int node = work[--top];
      if (node == stop || node == exit || region.get(node)) {
        continue;
      }
      region.set(node);
      for (int successor : successors[node]) {
        if (!region.get(successor) && successor != stop && successor != exit) {
          work[top++] = successor;
          if (top == work.length) {
            work = Arrays.copyOf(work, work.length * 2);
          }
        }
      }
    }
    return region;
  }

  private int[][] withExit(int[][] forward, boolean[] exits) {
    int[][] graph = new int[exit + 1][];
    for (int i = 0; i < exit; i++) {
      int[] next = forward[i] == null ? new int[0] : forward[i];
      graph[i] = exits[i] ? append(next, exit) : next;
    }
    graph[exit] = new int[0];
    return graph;
  }

  /** Adds an edge to the exit from each backward-jump target that cannot reach the exit. */
  private void connectEndlessLoops() {
    BitSet reachesExit = reachingExit();
    BitSet heads = new BitSet(exit);
    for (int from = 0; from < exit; from++) {
      for (int to : successors[from]) {
        if (to <= from && !reachesExit.get(to)) {
          heads.set(to); // every cycle has a backward jump, so every endless loop gets an exit
        }
      }
    }
    for (int head = heads.nextSetBit(0); head >= 0; head = heads.nextSetBit(head + 1)) {
      successors[head] = append(successors[head], exit);
    }
  }

  private BitSet reachingExit() {
    int[][] predecessors = predecessors();
    BitSet seen = new BitSet(exit + 1);
    int[] work = new int[exit + 1];
    int top = 0;
    work[top++] = exit;
    seen.set(exit);
    while (top > 0) {
      int node = work[--top];
      for (int predecessor : predecessors[node]) {
        if (!seen.get(predecessor)) {
          seen.set(predecessor);
          work[top++] = predecessor;
        }
      }
    }
    return seen;
  }

  private int[][] predecessors() {
    int[] counts = new int[exit + 1];
    for (int[] next : successors) {
      for (int to : next) {
        counts[to]++;
      }
    }
    int[][] predecessors = new int[exit + 1][];
    for (int i = 0; i <= exit; i++) {
      predecessors[i] = new int[counts[i]];
    }
    for (int from = 0; from <= exit; from++) {
      for (int to : successors[from]) {
        predecessors[to][--counts[to]] = from;
      }
    }
    return predecessors;
  }

  /**
   * Immediate post-dominators (the exit's is itself; -1 where the exit is unreachable), by
   * Cooper, Harvey and Kennedy's "A Simple, Fast Dominance Algorithm" on the reversed graph.
   */
  private int[] postDominators() {
    int[] order = reversePostOrderFromExit();
    int[] rank = new int[exit + 1];
    Arrays.fill(rank, -1);
    for (int i = 0; i < order.length; i++) {
      rank[order[i]] = order.length - 1 - i; // higher rank: nearer the exit
    }
    int[] dominator = new int[exit + 1];
    Arrays.fill(dominator, -1);
    dominator[exit] = exit;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int node : order) {
        if (node == exit) {
          continue;
        }
        int candidate = -1;
        for (int successor : successors[node]) {
          if (dominator[successor] >= 0) {
            candidate = candidate < 0 ? successor : intersect(successor, candidate, dominator, rank);
          }
        }
        if (candidate >= 0 && dominator[node] != candidate) {
          dominator[node] = candidate;
          changed = true;
        }
      }
    }
    return dominator;
  }

  private static int intersect(int a, int b, int[] dominator, int[] rank) {
    while (a != b) {
      while (rank[a] < rank[b]) {
        a = dominator[a];
      }
      while (rank[b] < rank[a]) {
        b = dominator[b];
      }
    }
    return a;
  }

  /** Nodes that reach the exit, in reverse post-order of a depth-first walk back from it. */
  private int[] reversePostOrderFromExit() {
    int[][] predecessors = predecessors();
    int[] post = new int[exit + 1];
    int count = 0;
    boolean[] seen = new boolean[exit + 1];
    int[] stack = new int[exit + 1];
    int[] next = new int[exit + 1];
    int top = 0;
    stack[top++] = exit;
    seen[exit] = true;
    while (top > 0) {
      int node = stack[top - 1];
      if (next[node] < predecessors[node].length) {
        int predecessor = predecessors[node][next[node]++];
        if (!seen[predecessor]) {
          seen[predecessor] = true;
          stack[top++] = predecessor;
        }
      } else {
        post[count++] = node;
        top--;
      }
    }
    int[] reverse = new int[count];
    for (int i = 0; i < count; i++) {
      reverse[i] = post[count - 1 - i];
    }
    return reverse;
  }

  private static int[] append(int[] array, int value) {
    int[] longer = Arrays.copyOf(array, array.length + 1);
    longer[array.length] = value;
    return longer;
  }
}
