package dev.lockguard.agent;

import dev.lockguard.agent.report.ReportCli;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The agent jar's command line: {@code java -jar lockguard-agent.jar report FILE...}.
 *
 * <p>Public only because {@link CliLauncher} calls it across class loaders; it runs where the
 * runtime's classes can be seen (see there).
 */
public final class Cli {
  static final String USAGE =
      "usage: java -jar lockguard-agent.jar " + ReportCli.USAGE.substring("usage: ".length());

  private Cli() {}

  /** Runs the command line and returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).println(USAGE
          + "\n  As an agent: java -javaagent:lockguard-agent.jar[=report=FILE,policy=record|throw,"
          + "order=graph|ascending,include=GLOBS,exclude=GLOBS] ...");
      return args.length == 0 ? 2 : 0;
    }
    if (!args[0].equals("report")) {
      err.println("lockguard: unknown command \"" + args[0] + "\". " + USAGE);
      return 2;
    }
    return ReportCli.run(Arrays.copyOfRange(args, 1, args.length), out, err);
  }
}
