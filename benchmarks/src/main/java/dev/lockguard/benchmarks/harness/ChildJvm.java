package dev.lockguard.benchmarks.harness;

import dev.lockguard.benchmarks.AgentJar;
import dev.lockguard.benchmarks.Form;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a fresh JVM of one {@link Form}: same JDK and class path as this one, the agent jar
 * attached for the lockguard form only.
 */
final class ChildJvm {
  private final String agentJar;

  ChildJvm(String agentJar) {
    this.agentJar = agentJar == null ? AgentJar.PATH : agentJar;
  }

  /** The command line: {@code java [-javaagent:…] -Dbench.form=… JVMARGS -cp … MAIN ARGS}. */
  List<String> command(Form form, List<String> jvmArgs, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (form == Form.LOCKGUARD) {
      command.add("-javaagent:" + agentJar);
    }
    command.add(form.jvmArg());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** Runs the command to its end; returns its standard output, failing on a non-zero exit. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException(
          "child JVM failed with exit code " + exit + ": " + String.join(" ", command)
              + "\n" + output);
    }
    return output;
  }

  /** The agent jar the lockguard form attaches. */
  String agentJar() {
    return agentJar;
  }
}
