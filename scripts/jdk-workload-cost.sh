#!/usr/bin/env bash
# Measures what each jdk= group costs a lock-heavy workload: fixtures.agent.JdkConsistentUse
# (THREADS threads, four by default, each round under one application lock: blocking queues
# offered to and drained, copy-on-write lists written, printf to a PrintStream and a PrintWriter,
# a log record every 16 rounds), N times per configuration (see scripts/cost-runs.sh).
# StringBuffer is measured too: the fixture's PrintWriter writes to a StringWriter, whose buffer
# is a StringBuffer. Usage: scripts/jdk-workload-cost.sh [N] [ROUNDS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cost-runs.sh
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
run_round_robin "$runs" "$agent" "$work" -cp "$classes" fixtures.agent.JdkConsistentUse \
  "$rounds" "$threads"
print_medians "$work" "median of $runs runs, $threads threads x $rounds rounds" 52
