package dev.lockguard.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/** JDK locks with the real, shaded lockguard agent jar attached with its default options. */
@Fork(value = 2, jvmArgsAppend = {AgentJar.JVM_ARG, "-Dbench.form=lockguard"})
public class LockGuardAgent extends JdkWorkloads {}
