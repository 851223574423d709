#!/usr/bin/env bash
# What the class-initialization rewriter adds to loading the corpus, measured so that the
# machine's run-to-run spread cannot hide it: PAIRS pairs of ClassLoadingMain runs under the
# agent, classinit on and off back to back (which goes first alternates), and the ratio of the
# loading thread's CPU time taken per pair. Prints each pair and the median ratio.
#
#   benchmarks/ClassInitPairs.sh [PAIRS] [AGENT_JAR] [--initialize]
#
# With --initialize, ClassLoadingMain also initializes every class, so the hooks run and each
# initializer is read (lazily, as it starts): the cost a real application pays.
#
# Needs the benchmarks build (benchmarks/target/benchmarks.jar and the corpus it downloads).
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-14}
agent=${2:-agent/target/lockguard-agent.jar}
mode=${3:-}
if [ -n "$mode" ] && [ "$mode" != --initialize ]; then
  echo "unknown third argument '$mode': the only one is --initialize" >&2; exit 2
fi
jar=benchmarks/target/benchmarks.jar
corpus=benchmarks/target/corpus
for file in "$agent" "$jar" "$corpus"; do
  [ -e "$file" ] || { echo "missing $file: build first with mvn -B -DskipTests package -pl agent,benchmarks -am" >&2; exit 2; }
done

cpu() { # the loading thread's CPU milliseconds of one run
  java "$@" -cp "$jar" dev.lockguard.benchmarks.harness.ClassLoadingMain "$corpus" $mode 2>/dev/null \
    | awk '/^measure load-thread-cpu-ms /{print $3}'
}

ratios=()
for ((i = 1; i <= pairs; i++)); do
  if ((i % 2)); then
    on=$(cpu "-javaagent:$agent"); off=$(cpu "-javaagent:$agent=classinit=off")
  else
    off=$(cpu "-javaagent:$agent=classinit=off"); on=$(cpu "-javaagent:$agent")
  fi
  [ -n "$on" ] && [ -n "$off" ] || { echo "pair $i: ClassLoadingMain printed no measure line" >&2; exit 1; }
  ratio=$(awk -v a="$on" -v b="$off" 'BEGIN{printf "%.3f", a / b}')
  ratios+=("$ratio")
  echo "pair $i: classinit on $on ms, off $off ms, on / off $ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{r[NR] = $1}
  END {m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
       printf "median on / off over %d pairs: %.3fx (from %.3fx to %.3fx)\n", NR, m, r[1], r[NR]}'
