package dev.lockguard.agent;

import dev.lockguard.report.ReportCli;
import java.io.PrintStream;
import java.util.Arrays;

/** The agent jar's command line: {@code java -jar lockguard-agent.jar report FILE...}. */
final class Cli {
  static final String USAGE = "usage: java -jar lockguard-agent.jar report [--format text|json|dot] FILE...";

  private Cli() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
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
