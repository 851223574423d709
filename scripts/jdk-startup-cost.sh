#!/usr/bin/env bash
# Measures what each curated JDK group (the agent's jdk= option) adds to JVM start-up.
# Runs a trivial main N times per configuration, round-robin so that machine noise spreads
# evenly, and prints the median wall time of each. Usage: scripts/jdk-startup-cost.sh [N]
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

configs=("bare" "jdk=none" "jdk=Collections" "jdk=Vector" "jdk=Hashtable" "jdk=StringBuffer" "jdk=Observable" "jdk=all")
for ((i = 0; i < runs; i++)); do
  for config in "${configs[@]}"; do
    if [ "$config" = bare ]; then args=(); else args=("-javaagent:$agent=$config,watchdog=0"); fi
    start=$(date +%s%N)
    java -Xshare:auto "${args[@]}" -cp "$work" Hello > /dev/null 2>&1
    end=$(date +%s%N)
    echo "$config $(( (end - start) / 1000000 ))" >> "$work/times"
  done
done
printf '%-18s %s\n' "configuration" "median ms ($runs runs)"
for config in "${configs[@]}"; do
  median=$(grep "^$config " "$work/times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-18s %s\n' "$config" "$median"
done
