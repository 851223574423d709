package dev.lockguard.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/** The baseline: no agent, JDK locks. */
@Fork(value = 2, jvmArgsAppend = "-Dbench.form=bare")
public class BareJvm extends JdkWorkloads {}
