#!/usr/bin/env bash
# Diagnostics of the class-init rewriter's cost that the harnesses do not give, outside the build:
# compiled here against the agent's and the runtime's classes, and run in one JVM each.
#
#   benchmarks/diagnostics/run.sh CiOnly   PASSES PART   # PART: reader | may | declare | alone | all
#   benchmarks/diagnostics/run.sh DefBench ROUNDS        # define the corpus rewritten with and without it
#   benchmarks/diagnostics/run.sh TwoPass  PASSES        # run under -javaagent (JAVA_OPTS): later passes warm
#
# Needs mvn -B -DskipTests install -pl runtime,agent and the benchmarks build (the corpus).
# For the cost of each part of the class-init detector in a real run, see timed-build.sh here.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:?"name a diagnostic: CiOnly, DefBench or TwoPass"}; shift
case $name in CiOnly|DefBench|TwoPass) ;; *) echo "unknown diagnostic '$name': CiOnly, DefBench or TwoPass" >&2; exit 2;; esac
corpus=benchmarks/target/corpus
[ -d "$corpus" ] && [ -d agent/target/classes ] || { echo "build first: mvn -B -DskipTests install -pl runtime,agent && mvn -B -DskipTests package -pl benchmarks" >&2; exit 2; }
asm=$(sed -n 's:.*<asm.version>\(.*\)</asm.version>.*:\1:p' pom.xml)
m2=${MAVEN_REPO:-$HOME/.m2/repository}/org/ow2/asm
cp=agent/target/classes:runtime/target/classes:$m2/asm/$asm/asm-$asm.jar:$m2/asm-tree/$asm/asm-tree-$asm.jar:$m2/asm-analysis/$asm/asm-analysis-$asm.jar
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
# TwoPass runs under the real agent jar (JAVA_OPTS=-javaagent:...), so nothing of the agent's on
# its class path; the others call the rewriter's classes themselves.
[ "$name" = TwoPass ] && cp=
javac -d "$out" ${cp:+-cp "$cp"} "benchmarks/diagnostics/$name.java"
java ${JAVA_OPTS:-} -cp "${cp:+$cp:}$out" "$name" "$corpus" "$@"
