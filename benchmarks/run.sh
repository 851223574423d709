#!/usr/bin/env bash
# Measures lockguard's overhead: JMH benchmarks in three forms (bare JVM, lockguard agent,
# Guava CycleDetectingLockFactory) in one JMH invocation, then start-up and retained memory, then
# real code side by side (hot loops, class loading of popular libraries, H2 under JDBC threads,
# the latency of a first-seen edge).
#
#   benchmarks/run.sh            full run, the figures of docs/performance.md (~20 min on 2 cores)
#   benchmarks/run.sh --quick    smoke run for CI (~1 min on 2 idle cores): every benchmark runs once,
#                                and the agent form is proven attached; fails loudly otherwise
#
# Options:
#   --no-agent     measure bare and Guava only (before the agent exists); says so loudly
#   --out DIR      where results go (default benchmarks/target/results/MODE-TIMESTAMP)
#   --build        rebuild the jars first (they are built when missing anyway)
#   -- ARGS...     extra JMH arguments, e.g. -- -f 1 -wi 2 (not -jvmArgsAppend: it would replace
#                  the forms' own fork arguments; use -jvmArgsPrepend)
#
# JAVA_HOME selects the JDK (default: java on PATH); every forked JVM uses the same one.
set -euo pipefail

# The whole script is one function, parsed before it runs: bash reads a script as it goes, so an
# edit (or a git checkout) during a 20-minute run would otherwise break the run.
main() {

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_JAR="$ROOT/benchmarks/target/benchmarks.jar"
AGENT_JAR="$ROOT/agent/target/lockguard-agent.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# JDK 17 prints with the locale's charset unless told; the harnesses print ≤ and ÷.
utf8=(-Dfile.encoding=UTF-8 -Dsun.stdout.encoding=UTF-8)
export LC_ALL=C.UTF-8  # "." decimals in every tool; UTF-8 for the tables' ÷ and ≤

mode=full
agent=required
build=no
out=""
jmh_extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --no-agent) agent=skipped ;;
    --build) build=yes ;;
    --out) out="$2"; shift ;;
    --) shift; jmh_extra=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

fail() {
  echo >&2
  echo "run.sh: FAILED: $*" >&2
  exit 1
}

build_jars() {
  local modules=benchmarks
  if [[ $agent == required ]]; then
    [[ -f $ROOT/agent/pom.xml ]] || fail "LOCKGUARD AGENT MISSING: there is no agent module to build
($ROOT/agent/pom.xml), so the lockguard form cannot run. Pass --no-agent to measure bare and Guava only."
    modules="agent,benchmarks"
  fi
  echo "== building $modules"
  (cd "$ROOT" && mvn -B -q -DskipTests package -pl "$modules" -am)
}

if [[ $build == yes || ! -f $BENCH_JAR || ($agent == required && ! -f $AGENT_JAR) ]]; then
  build_jars
fi
[[ -f $BENCH_JAR ]] || fail "$BENCH_JAR is missing after the build"
if [[ $agent == required && ! -f $AGENT_JAR ]]; then
  fail "the agent jar $AGENT_JAR is missing, so the lockguard form cannot run.
Build it (mvn -B -DskipTests package -pl agent -am), or pass --no-agent to measure bare and Guava only."
fi

# The jar bakes in the agent path it was built with; a stale jar from another checkout would
# measure another agent.
baked=$("$JAVA" -cp "$BENCH_JAR" dev.lockguard.benchmarks.harness.AgentPath)
if [[ $agent == required && $(realpath -m "$baked") != $(realpath -m "$AGENT_JAR") ]]; then
  fail "benchmarks.jar attaches $baked, not $AGENT_JAR; rebuild with --build"
fi

out=${out:-$ROOT/benchmarks/target/results/$mode-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

if [[ $agent == required ]]; then
  include='^dev\.lockguard\.benchmarks\.[A-Za-z]+\.(bare|lockguard|guava)$'
else
  include='^dev\.lockguard\.benchmarks\.[A-Za-z]+\.(bare|guava)$'
  echo "################################################################################"
  echo "# --no-agent: the LOCKGUARD AGENT FORM IS NOT MEASURED in this run."
  echo "################################################################################"
fi

if [[ $mode == quick ]]; then
  # One short fork per benchmark: enough to prove it runs, too little for figures.
  jmh_mode=(-f 1 -wi 1 -w 300ms -i 1 -r 500ms)
  startup_runs=3
  memory_locks=100000
else
  jmh_mode=()   # the annotations' settings: 2 forks, 4 x 2 s warm-up, 5 x 2 s measurement
  startup_runs=20
  memory_locks=1000000
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "mode: $mode (agent: $agent)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
  echo "nproc: $(nproc)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "java: $("$JAVA" -XshowSettings:properties -version 2>&1 | grep -E 'java.(vm.)?version =|java.vendor =' | sed 's/^ *//' | tr '\n' ' ')"
  echo "agent jar: $([[ $agent == required ]] && echo "$AGENT_JAR" || echo 'not used')"
} > "$out/env.txt"
cat "$out/env.txt"

echo "== JMH ($mode)"
"$JAVA" -jar "$BENCH_JAR" -l "$include" > "$out/expected.txt"
start=$SECONDS
# -foe: a fork that fails (e.g. the agent form finding no agent) fails the whole run.
set +e
"$JAVA" -Duser.language=en -Duser.country=US -jar "$BENCH_JAR" "$include" \
    -foe true -prof gc -rf csv -rff "$out/jmh.csv" "${jmh_mode[@]}" "${jmh_extra[@]}" \
    2>&1 | tee "$out/jmh.log" \
  | grep --line-buffered -E '^(# Benchmark:|# Parameters:|# lockguard-bench|Iteration|<)'
jmh_status=${PIPESTATUS[0]}
set -e
if [[ $jmh_status -ne 0 ]]; then
  grep -E 'Exception|Error|NOT ATTACHED|<' "$out/jmh.log" | head -20 >&2 || true
  fail "JMH exited with status $jmh_status; see $out/jmh.log"
fi
echo "JMH took $((SECONDS - start)) s"

"$JAVA" "${utf8[@]}" -cp "$BENCH_JAR" dev.lockguard.benchmarks.harness.Summary "$out/jmh.csv" \
    --expected "$out/expected.txt" --out "$out/jmh.md" > /dev/null \
  || fail "some benchmarks produced no result; see $out/jmh.log"

if [[ $agent == required ]]; then
  # Belt and braces: each agent-form fork checked itself and printed one line; count them.
  # (JMH prints a fork's output after its own "# Warmup Iteration" prefix: no ^ anchors.)
  forks=$(grep -c '# lockguard-bench form=lockguard agent=attached' "$out/jmh.log" || true)
  instrumented=$(grep -c '# lockguard-bench instrumented .*acquisitions=[1-9]' "$out/jmh.log" || true)
  results=$(grep -c '^"dev\.lockguard\.benchmarks\.[A-Za-z]*\.lockguard",' "$out/jmh.csv" || true)
  if [[ $forks -lt 1 || $forks -lt $results || $instrumented -lt $forks ]]; then
    fail "LOCKGUARD AGENT NOT PROVEN ATTACHED AND INSTRUMENTING: $forks attached and" \
      "$instrumented instrumented forks for $results agent-form results"
  fi
  echo "agent attached and instrumenting in all $forks lockguard-form forks ($results results)"
fi

forms_startup=bare,lockguard
forms_memory=bare,lockguard,guava
if [[ $agent != required ]]; then
  forms_startup=bare
  forms_memory=bare,guava
fi

echo "== start-up ($startup_runs runs per form)"
"$JAVA" "${utf8[@]}" -cp "$BENCH_JAR" dev.lockguard.benchmarks.harness.StartupHarness \
    --runs "$startup_runs" --forms "$forms_startup" > "$out/startup.md" \
  || fail "start-up harness failed"

echo "== retained memory ($memory_locks locks)"
"$JAVA" "${utf8[@]}" -cp "$BENCH_JAR" dev.lockguard.benchmarks.harness.MemoryHarness \
    --locks "$memory_locks" --forms "$forms_memory" > "$out/memory.md" 2> "$out/memory.log" \
  || { cat "$out/memory.log" >&2; fail "memory harness failed"; }

if [[ $agent == required ]]; then
  # Real code (issue 15), side by side in fresh JVMs, forms alternating run by run. Each child
  # times itself in CPU time where it can, so that a loaded machine distorts it less.
  corpus="$ROOT/benchmarks/target/corpus"
  [[ -d $corpus ]] || fail "the corpus $corpus is missing; rebuild with --build"
  if [[ $mode == quick ]]; then
    hot=(--runs 1 --ops 200000); loading=(--runs 1 --max-jars 4); db=(--runs 1 --threads 4 --transactions 150)
    edges=(--runs 1)
  else
    hot=(--runs 5); loading=(--runs 3); db=(--runs 3 --threads 8 --transactions 1500)
    edges=(--runs 4)
  fi
  echo "== hot loops (thread CPU time per operation)"
  "$JAVA" "${utf8[@]}" -cp "$BENCH_JAR" dev.lockguard.benchmarks.harness.HotLoopsHarness \
      "${hot[@]}" > "$out/hot-loops.md" || fail "hot-loops harness failed"
  echo "== class loading: every class of the libraries from Maven Central in $corpus"
  "$JAVA" "${utf8[@]}" -cp "$BENCH_JAR" dev.lockguard.benchmarks.harness.ClassLoadingHarness \
      --corpus "$corpus" "${loading[@]}" > "$out/class-loading.md" \
    || fail "class-loading harness failed"
  echo "== H2 under JDBC threads, invariant checked"
  "$JAVA" "${utf8[@]}" -cp "$BENCH_JAR" dev.lockguard.benchmarks.harness.DatabaseHarness \
      --corpus "$corpus" "${db[@]}" > "$out/database.md" || fail "database harness failed"
  echo "== first-seen edge: latency in the acquiring thread"
  "$JAVA" "${utf8[@]}" -cp "$BENCH_JAR" dev.lockguard.benchmarks.harness.FirstEdgeHarness \
      "${edges[@]}" > "$out/first-edge.md" || fail "first-edge harness failed"
fi

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/env.txt"

{
  echo "# lockguard benchmarks ($mode run)"
  if [[ $mode == quick ]]; then
    echo
    echo "**Quick run: a smoke test that every benchmark runs; its figures are not measurements.**"
  fi
  echo
  echo '```'
  cat "$out/env.txt"
  echo '```'
  echo
  echo "## JMH: time per operation, ratios within this run"
  echo
  if [[ $agent != required ]]; then
    echo "**The lockguard agent form was not measured in this run (--no-agent).**"
    echo
  fi
  cat "$out/jmh.md"
  echo
  echo "## Start-up: JVM plus a trivial main"
  echo
  cat "$out/startup.md"
  echo
  echo "## Heap retained after locks were used and collected"
  echo
  cat "$out/memory.md"
  if [[ $agent == required ]]; then
    for part in "hot-loops:Hot loops" "class-loading:Class loading on real code" \
        "database:H2 under JDBC threads" "first-edge:First-seen edge, acquiring thread"; do
      echo
      echo "## ${part#*:}"
      echo
      cat "$out/${part%%:*}.md"
    done
  fi
} > "$out/summary.md"

echo
cat "$out/summary.md"
echo
echo "results: $out (summary.md, jmh.csv, jmh.log, startup.md, memory.md, and the real-code tables)"
if [[ $mode == quick ]]; then
  echo "note: quick-run figures are a smoke test, not measurements"
fi
}

main "$@"
exit
