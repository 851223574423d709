#!/usr/bin/env bash
# Measures what each jdk= group costs a lock-heavy workload: fixtures.agent.JdkConsistentUse (four
# threads, each round under one application lock: blocking queues offered to and drained,
# copy-on-write lists written, printf to a PrintStream and a PrintWriter, a log record every 16
# rounds). Runs it N times per configuration, round-robin, and prints the median wall time and
# the median CPU time (user + system: less disturbed than wall time on a machine others load).
# (StringBuffer is measured too: the fixture's PrintWriter writes to a StringWriter, whose buffer
# is a StringBuffer.) Usage: scripts/jdk-workload-cost.sh [N] [ROUNDS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
rounds=${2:-5000}
threads=${3:-4}
agent=agent/target/lockguard-agent.jar
classes=agent/target/test-classes
[ -f "$agent" ] && [ -d "$classes/fixtures" ] \
  || { echo "build the agent and its test classes first: mvn -B -q -pl agent -am test-compile package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

configs=("bare" "jdk=none" "jdk=BlockingQueues" "jdk=CopyOnWrite" "jdk=Logging" "jdk=PrintStream"
  "jdk=BlockingQueues;CopyOnWrite;Logging;PrintStream" "jdk=StringBuffer" "jdk=all")
for ((i = 0; i < runs; i++)); do
  for config in "${configs[@]}"; do
    if [ "$config" = bare ]; then args=(); else args=("-javaagent:$agent=$config,watchdog=0"); fi
    /usr/bin/time -o "$work/one" -f '%e %U %S' \
      java "${args[@]}" -cp "$classes" fixtures.agent.JdkConsistentUse "$rounds" "$threads" > /dev/null 2>&1
    awk -v c="$config" '{printf "%s %d %d\n", c, $1 * 1000, ($2 + $3) * 1000}' "$work/one" \
      >> "$work/times"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-52s %-8s %s\n' "configuration" "wall ms" "cpu ms (median of $runs runs, $threads threads x $rounds rounds)"
for config in "${configs[@]}"; do
  wall=$(grep "^$config " "$work/times" | awk '{print $2}' | median)
  cpu=$(grep "^$config " "$work/times" | awk '{print $3}' | median)
  printf '%-52s %-8s %s\n' "$config" "$wall" "$cpu"
done
