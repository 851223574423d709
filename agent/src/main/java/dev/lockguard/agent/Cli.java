package dev.lockguard.agent;

import dev.lockguard.agent.report.ReportCli;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Properties;

/**
 * The agent jar's command line: {@code java -jar lockguard-agent.jar report FILE...}.
 *
 * <p>Public only because {@link CliLauncher} calls it across class loaders; it runs where the
 * runtime's classes can be seen (see there).
 */
public final class Cli {
  static final String USAGE =
      "usage: java -jar lockguard-agent.jar " + ReportCli.USAGE.substring("usage: ".length());

  /** The agent's options, each with an example value ({@link AgentOptions#EXAMPLES}). */
  static final String AGENT_USAGE = agentUsage();

  private Cli() {}

  private static String agentUsage() {
    StringBuilder usage = new StringBuilder("  As an agent: java '-javaagent:lockguard-agent.jar"
        + "[=KEY=VALUE,...]' ... (quote it: ';', '|' and parentheses are shell syntax), with:");
    for (String key : AgentOptions.KEYS) {
      usage.append("\n    ").append(key).append('=').append(AgentOptions.EXAMPLES.get(key));
    }
    return usage.append("\n  or each as a system property, -Dlockguard.KEY=VALUE.").toString();
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).println(USAGE + "\n" + AGENT_USAGE);
      return args.length == 0 ? 2 : 0;
    }
    if (args[0].equals("options")) {
      return checkOptions(args, err);
    }
    if (!args[0].equals("report")) {
      err.println("lockguard: unknown command \"" + args[0] + "\". " + USAGE);
      return 2;
    }
    return ReportCli.run(Arrays.copyOfRange(args, 1, args.length), out, err);
  }

  /**
   * {@code options OPTIONS}: parses agent options as {@code -javaagent:...=OPTIONS} would, prints
   * nothing and returns 0 if they are valid, else the agent's message and 2. The Maven plugin
   * checks its configuration with it before any test JVM starts.
   */
  private static int checkOptions(String[] args, PrintStream err) {
    if (args.length != 2) {
      err.println("lockguard: usage: options OPTIONS (key=value pairs separated by ',')");
      return 2;
    }
    try {
      AgentOptions.parse(args[1], new Properties());
      return 0;
    } catch (AgentOptions.BadOption e) {
      err.println("lockguard: " + e.getMessage());
      return 2;
    }
  }
}
