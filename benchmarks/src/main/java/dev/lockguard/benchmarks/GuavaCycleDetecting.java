package dev.lockguard.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/** The peer: no agent, locks made by Guava's {@code CycleDetectingLockFactory} (policy THROW). */
@Fork(value = 2, jvmArgsAppend = "-Dbench.form=guava")
public class GuavaCycleDetecting extends LockWorkloads {}
