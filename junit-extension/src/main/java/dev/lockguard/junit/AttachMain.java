package dev.lockguard.junit;

import com.sun.tools.attach.VirtualMachine;

/**
 * The child JVM's side of self-attach: loads the agent into the JVM with the given pid.
 *
 * <p>Run by {@link SelfAttach} as {@code java -cp lockguard-junit.jar
 * dev.lockguard.junit.AttachMain PID AGENT_JAR}. Exits 0 when the agent loaded, else prints why
 * on one line and exits 1.
 */
final class AttachMain {
  private AttachMain() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.out.println("usage: AttachMain PID AGENT_JAR");
      System.exit(2);
    }
    try {
      VirtualMachine vm = VirtualMachine.attach(args[0]);
      try {
        vm.loadAgent(args[1]);
      } finally {
        vm.detach();
      }
    } catch (Exception | LinkageError e) {
      System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage() + ".");
      System.exit(1);
    }
  }
}
