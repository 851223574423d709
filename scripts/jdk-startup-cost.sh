#!/usr/bin/env bash
# Measures what each curated JDK group (the agent's jdk= option) adds to JVM start-up.
# Runs a trivial main N times per configuration, round-robin so that machine noise spreads
# evenly, and prints the median wall time and the median CPU time (user + system: less disturbed
# than wall time on a machine others load) of each. Usage: scripts/jdk-startup-cost.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
agent=agent/target/lockguard-agent.jar
[ -f "$agent" ] || { echo "build the agent first: mvn -B -q package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$work" "$work/Hello.java"

configs=("bare" "jdk=none" "jdk=Collections" "jdk=Vector" "jdk=Hashtable" "jdk=StringBuffer" "jdk=Observable"
  "jdk=BlockingQueues" "jdk=CopyOnWrite" "jdk=Logging" "jdk=PrintStream" "jdk=all")
for ((i = 0; i < runs; i++)); do
  for config in "${configs[@]}"; do
    if [ "$config" = bare ]; then args=(); else args=("-javaagent:$agent=$config,watchdog=0"); fi
    /usr/bin/time -o "$work/one" -f '%e %U %S' \
      java -Xshare:auto "${args[@]}" -cp "$work" Hello > /dev/null 2>&1
    awk -v c="$config" '{printf "%s %d %d\n", c, $1 * 1000, ($2 + $3) * 1000}' "$work/one" \
      >> "$work/times"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-18s %-8s %s\n' "configuration" "wall ms" "cpu ms (median of $runs runs)"
for config in "${configs[@]}"; do
  wall=$(grep "^$config " "$work/times" | awk '{print $2}' | median)
  cpu=$(grep "^$config " "$work/times" | awk '{print $3}' | median)
  printf '%-18s %-8s %s\n' "$config" "$wall" "$cpu"
done
