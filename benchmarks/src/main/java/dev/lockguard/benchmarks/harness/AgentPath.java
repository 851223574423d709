package dev.lockguard.benchmarks.harness;

import dev.lockguard.benchmarks.AgentJar;

/** Prints the agent jar path baked into this build, for {@code run.sh} to check. */
public final class AgentPath {
  private AgentPath() {}

  public static void main(String[] args) {
    System.out.println(AgentJar.PATH);
  }
}
