#!/usr/bin/env bash
# Measures what each curated JDK group (the agent's jdk= option) adds to JVM start-up: runs a
# trivial main N times per configuration (see scripts/cost-runs.sh).
# Usage: scripts/jdk-startup-cost.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cost-runs.sh
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
run_round_robin "$runs" "$agent" "$work" -Xshare:auto -cp "$work" Hello
print_medians "$work" "median of $runs runs" 18
