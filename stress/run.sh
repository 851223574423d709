#!/usr/bin/env bash
# Runs the jcstress tests of the runtime's concurrent structures; exits non-zero on any forbidden
# or unknown outcome (jcstress itself fails the run then).
#
#   stress/run.sh [MODE] [JCSTRESS OPTIONS...]
#
# MODE is a jcstress preset: quick (the default, what CI runs: one JVM configuration per test,
# about ten seconds each), default, tough or stress (soak runs of many minutes). Build first:
#   mvn -B verify -pl runtime,stress
# Results: stress/target/jcstress-report/index.html.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f target/jcstress.classpath ]; then
  echo "stress/run.sh: the stress module is not built; run: mvn -B verify -pl runtime,stress" >&2
  exit 2
fi
mode=${1:-quick}
shift || true

options=(-m "$mode" -c 2 -r jcstress-report)
if [ "$mode" = quick ]; then
  # One JVM configuration and no split compilation: the races under test are in lockguard's own
  # Java code, not in JIT corner cases, and CI has two cores and a few minutes for this.
  options+=(-sc false -jvmArgs "-Xmx256m")
fi
classpath="$PWD/target/test-classes:$(cat target/jcstress.classpath)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cd target # jcstress leaves its result blob in the working directory
"$java" -cp "$classpath" org.openjdk.jcstress.Main "${options[@]}" "$@" | tee jcstress.log
# jcstress exits non-zero on a failed test; check its summary too, so that an error (a test that
# threw) or a run that selected nothing cannot pass quietly.
for summary in 'Failed tests' 'Error tests'; do
  if ! grep -q "^  $summary: No matches\." jcstress.log; then
    echo "stress/run.sh: jcstress reports $summary; see stress/target/jcstress-report/" >&2
    exit 1
  fi
done
if grep -q '^  All remaining tests: No matches\.' jcstress.log; then
  echo "stress/run.sh: jcstress ran no test" >&2
  exit 1
fi
