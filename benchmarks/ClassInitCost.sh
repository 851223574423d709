#!/usr/bin/env bash
# Measures what watching class initialization adds to class loading: loads and initializes N
# generated classes (each with a static initializer that reads the next class's field and takes
# a monitor, the work the class-initialization rewriter reads and hooks) and prints the median
# CPU time the loading thread spent, for a bare JVM and the agent with classinit=off and on.
# CPU time rather than wall time: on a loaded machine it varies far less.
#
#   benchmarks/ClassInitCost.sh [RUNS] [CLASSES]
#
# The configurations run round-robin, so that machine noise spreads evenly over them.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
classes=${2:-1000}
agent=agent/target/lockguard-agent.jar
[ -f "$agent" ] || { echo "build the agent first: mvn -B -q package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/gen" "$work/classes"
for ((i = 0; i < classes; i++)); do
  next=$(( i + 1 < classes ? i + 1 : i ))
  cat > "$work/src/gen/C$i.java" <<JAVA
package gen;
public class C$i {
  public static final Object LOCK = new Object();
  public static final java.util.List<Object> VALUES = new java.util.ArrayList<>();
  static {
    synchronized (LOCK) {
      VALUES.add(C$next.LOCK);
    }
  }
}
JAVA
done
cat > "$work/src/LoadAll.java" <<JAVA
public class LoadAll {
  public static void main(String[] args) throws Exception {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    for (int i = $classes - 1; i >= 0; i--) {
      Class.forName("gen.C" + i, true, LoadAll.class.getClassLoader());
    }
    System.out.println((threads.getCurrentThreadCpuTime() - start) / 1_000_000);
  }
}
JAVA
javac -d "$work/classes" "$work/src/LoadAll.java" "$work"/src/gen/*.java

configs=(bare classinit=off classinit=on)
for ((r = 0; r < runs; r++)); do
  for config in "${configs[@]}"; do
    case $config in
      bare) args=() ;;
      *) args=("-javaagent:$agent=watchdog=0,$config") ;;
    esac
    echo "$config $(java "${args[@]}" -cp "$work/classes" LoadAll 2>/dev/null | tail -1)" \
      >> "$work/times"
  done
done
printf '%-14s %s\n' "agent" "median CPU ms to load and initialize $classes classes ($runs runs)"
for config in "${configs[@]}"; do
  median=$(grep "^$config " "$work/times" | awk '{print $2}' | sort -n \
    | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-14s %s\n' "$config" "$median"
done
