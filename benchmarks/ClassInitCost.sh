#!/usr/bin/env bash
# Measures what watching class initialization adds to class loading: loads and initializes N
# generated classes (each with a static initializer that reads the next class's field and takes
# a monitor, the work the class-initialization rewriter reads and hooks) and prints the median
# time the loading took inside the JVM, for a bare JVM, the agent jar given as the baseline (one
# built without the class-initialization rewriter) and this tree's agent jar.
#
#   benchmarks/ClassInitCost.sh BASELINE_AGENT_JAR [RUNS] [CLASSES]
#
# The configurations run round-robin, so that machine noise spreads evenly over them.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=${1:?give the agent jar to compare with, e.g. one built from the commit before}
runs=${2:-11}
classes=${3:-2000}
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
    long start = System.nanoTime();
    for (int i = $classes - 1; i >= 0; i--) {
      Class.forName("gen.C" + i, true, LoadAll.class.getClassLoader());
    }
    System.out.println((System.nanoTime() - start) / 1_000_000);
  }
}
JAVA
javac -d "$work/classes" "$work/src/LoadAll.java" "$work"/src/gen/*.java

configs=(bare baseline this)
for ((r = 0; r < runs; r++)); do
  for config in "${configs[@]}"; do
    case $config in
      bare) args=() ;;
      baseline) args=("-javaagent:$baseline=watchdog=0") ;;
      this) args=("-javaagent:$agent=watchdog=0") ;;
    esac
    echo "$config $(java "${args[@]}" -cp "$work/classes" LoadAll 2>/dev/null | tail -1)" \
      >> "$work/times"
  done
done
printf '%-10s %s\n' "agent" "median ms to load and initialize $classes classes ($runs runs)"
for config in "${configs[@]}"; do
  median=$(grep "^$config " "$work/times" | awk '{print $2}' | sort -n \
    | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-10s %s\n' "$config" "$median"
done
