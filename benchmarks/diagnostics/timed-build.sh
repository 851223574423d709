#!/usr/bin/env bash
# Builds an agent jar of commit REV with timers around the class-init detector's parts, for the
# cost of each part in a real run (the rotated rounds of docs/performance.md cannot see 1%):
#
#   benchmarks/diagnostics/timed-build.sh REV OUT.jar
#   java -javaagent:OUT.jar -cp benchmarks/target/benchmarks.jar \
#     dev.lockguard.benchmarks.harness.ClassLoadingMain benchmarks/target/corpus --initialize
#
# At exit the JVM prints one line on stderr: "lockguard-timers", then for the transformer the
# classes that only the class-init rewriter changes (alone: patched, or left as they are when
# inert) and the classes it does not parse (header: declared from the header), each with its
# count and wall milliseconds; then the hooks' thread CPU milliseconds: enter (the lazy read of
# each initializer), exit (the cycle check), report (cycles closed, silent ones included) and
# publish (the findings printed). The timers cost about a microsecond a call.
#
# Works in a scratch worktree (removed after), never in this one; needs python3 and the offline
# Maven repository of a normal build.
set -euo pipefail
cd "$(dirname "$0")/../.."
rev=${1:?"name a commit: timed-build.sh REV OUT.jar"}
out=${2:?"name the jar to write: timed-build.sh REV OUT.jar"}
case $out in /*) ;; *) out=$PWD/$out ;; esac
tree=$(mktemp -d)/timed
git worktree add -q --detach "$tree" "$rev"
trap 'git worktree remove --force "$tree"' EXIT
python3 - "$tree" <<'EOF'
import sys
root = sys.argv[1]

def patch(path, edits):
    path = root + '/' + path
    text = open(path).read()
    for old, new in edits:
        if text.count(old) != 1:
            sys.exit('timed-build: %s no longer has the code the timers go around:\n%s\n'
                     'Fix: update benchmarks/diagnostics/timed-build.sh to the new code.' % (path, old))
        text = text.replace(old, new)
    open(path, 'w').write(text)

T = 'dev.lockguard.internal.classinit.Timers'
open(root + '/runtime/src/main/java/dev/lockguard/internal/classinit/Timers.java', 'w').write('''
package dev.lockguard.internal.classinit;
public final class Timers {
  public static final long[] N = new long[8];
  public static final long[] NANOS = new long[8];
  static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();
  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.printf(
        "lockguard-timers alone %d %d ms header %d %d ms | cpu enter %d %d ms exit %d ms"
            + " report %d %d ms publish %d ms%n",
        N[0], NANOS[0] / 1000000, N[1], NANOS[1] / 1000000, N[2], NANOS[2] / 1000000,
        NANOS[3] / 1000000, N[4], NANOS[4] / 1000000, NANOS[5] / 1000000)));
  }
  public static long cpu() { return CPU.getCurrentThreadCpuTime(); }
  public static void add(int part, long since, long now) { N[part]++; NANOS[part] += now - since; }
  private Timers() {}
}
''')
hook = """  public static void %s(int id) {
    PerThread thread = PerThread.current();
    thread.run(%s, thread.get(InitStack.SLOT), null, null, id, 0);"""
timed = """
    long t = Timers.cpu();
    PerThread thread = PerThread.current();"""
patch('runtime/src/main/java/dev/lockguard/internal/classinit/ClassInitHooks.java', [
    (hook % (name, step), (hook % (name, step)).replace('\n    PerThread thread = PerThread.current();', timed)
     + '\n    Timers.add(%d, t, Timers.cpu());' % part)
    for name, step, part in (('enter', 'ENTER', 2), ('exit', 'EXIT', 3))])
patch('runtime/src/main/java/dev/lockguard/internal/classinit/ClassInitDetector.java', [
    ('''  private static List<Info> report(InitStack stack, List<InitLink> back, List<Info> closed) {''',
     '''  private static List<Info> report(InitStack stack, List<InitLink> back, List<Info> closed) {
    long t = Timers.cpu();
    try {
      return timedReport(stack, back, closed);
    } finally {
      Timers.add(4, t, Timers.cpu());
    }
  }

  private static List<Info> timedReport(InitStack stack, List<InitLink> back,
      List<Info> closed) {'''),
    ('''    Findings.publishOnce(REPORTED, violation.id(), violation.severity(), () -> violation);
    return done;''',
     '''    long t = Timers.cpu();
    Findings.publishOnce(REPORTED, violation.id(), violation.severity(), () -> violation);
    Timers.add(5, t, Timers.cpu());
    return done;'''),
])
patch('agent/src/main/java/dev/lockguard/agent/classinit/ClassInitClassVisitor.java', [
    ('''    public void notParsed(ClassReader reader, boolean loadTime) {
      InitHeader.declare(reader, loadTime);''',
     '''    public void notParsed(ClassReader reader, boolean loadTime) {
      long t = System.nanoTime();
      InitHeader.declare(reader, loadTime);
      %s.add(1, t, System.nanoTime());''' % T),
    ('''    public byte[] rewriteAlone(byte[] classfile, ClassReader reader, boolean loadTime) {''',
     '''    public byte[] rewriteAlone(byte[] classfile, ClassReader reader, boolean loadTime) {
      long t = System.nanoTime();
      try {
        return timedRewriteAlone(classfile, reader, loadTime);
      } finally {
        %s.add(0, t, System.nanoTime());
      }
    }

    private byte[] timedRewriteAlone(byte[] classfile, ClassReader reader, boolean loadTime) {''' % T),
])
EOF
(cd "$tree" && mvn -B -o -q package -pl runtime,agent -DskipTests)
cp "$tree/agent/target/lockguard-agent.jar" "$out"
echo "wrote $out"
