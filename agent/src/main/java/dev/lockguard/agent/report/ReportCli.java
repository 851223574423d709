package dev.lockguard.agent.report;

import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFiles;
import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The {@code report} command: prints lockguard JSON reports as text, JSON, DOT, SARIF or HTML.
 *
 * <p>{@code java -jar lockguard-agent.jar report [--format text|json|dot|sarif|html] [--separate]
 * [--output FILE] [--source-root DIR]... [--base DIR] [--fail-on SEVERITY [--fail-kinds
 * KIND,...]] FILE|DIR...}. A directory stands for every {@code .json} file below it (a build's
 * per-JVM and per-test reports). The files are printed as one report ({@link ReportMerge}: one
 * finding per id, counts added, cycles across JVMs found), or with {@code --separate} each on its
 * own ({@code --merge}, the default, is still accepted). {@code --output} writes the rendering to
 * a file instead of the output stream. SARIF finds the files of frames under the source roots and
 * names them relative to the base (default: the working directory). A file that cannot be read
 * or is not a report gets one line on the error stream and exit code 2; the other files are still
 * printed.
 *
 * <p>The command judges findings only when asked: with {@code --fail-on} it lists on the error
 * stream every finding at or above that severity (and of {@code --fail-kinds}, if given) and
 * exits 1 if there is one ({@link Verdict}); without it, it exits 0 whenever every file was
 * printed.
 */
public final class ReportCli {

  /** Every file was printed. */
  public static final int EXIT_OK = 0;

  /** {@code --fail-on} was given and a finding is at or above it. */
  public static final int EXIT_FINDINGS = 1;

  /** A file could not be printed, or the command line was wrong. */
  public static final int EXIT_ERROR = 2;

  public static final String USAGE = "usage: report [--format text|json|dot|sarif|html] [--separate]"
      + " [--output FILE] [--source-root DIR]... [--base DIR]"
      + " [--fail-on ERROR|WARNING|INFO [--fail-kinds KIND,...]] FILE|DIR...";

  private static final String PREFIX = "lockguard report: ";

  /** The output formats, each a rendering of a whole report. */
  enum Format {
    TEXT((report, options) -> SummaryText.render(report)),
    JSON((report, options) -> JsonReportWriter.toJson(report)),
    DOT((report, options) -> DotGraph.render(report)),
    SARIF((report, options) -> new SarifReport(options.frames()).render(report)),
    HTML((report, options) -> HtmlReport.render(report));

    private final BiFunction<Report, Options, String> renderer;

    Format(BiFunction<Report, Options, String> renderer) {
      this.renderer = renderer;
    }
  }

  private ReportCli() {}

  /**
   * Runs the command with the arguments after {@code report}.
   *
   * @return {@link #EXIT_OK} if every file was printed, else {@link #EXIT_ERROR}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(PREFIX + e.getMessage() + "; " + USAGE);
      return EXIT_ERROR;
    }
    if (options.help) {
      out.println(USAGE);
      return EXIT_OK;
    }
    List<String> files;
    try {
      files = ReportInputs.expand(options.files);
    } catch (IOException e) {
      err.println(PREFIX + TextReport.printable(e.getMessage()));
      return EXIT_ERROR;
    }
    List<Report> reports = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String file : files) {
      Report report = readOrReport(file, err);
      if (report != null) {
        reports.add(report);
        names.add(TextReport.printable(shortName(file)));
      }
    }
    if (reports.isEmpty()) {
      return EXIT_ERROR;
    }
    Report merged = ReportMerge.merge(reports, names);
    String rendered = options.separate
        ? renderEach(reports, names, options)
        : renderMerged(merged, reports, names, options);
    if (!write(rendered, options, out, err) || reports.size() < files.size()) {
      return EXIT_ERROR;
    }
    if (options.failOn != null) {
      Verdict verdict = new Verdict(options.failOn, options.failKinds);
      return verdict.print(merged, err) ? EXIT_FINDINGS : EXIT_OK;
    }
    return EXIT_OK;
  }

  /** Writes the rendering to {@code --output}, or to {@code out}; false if the file failed. */
  private static boolean write(String rendered, Options options, PrintStream out, PrintStream err) {
    if (options.output == null) {
      out.print(rendered);
      out.flush();
      return true;
    }
    try {
      Path output = Paths.get(options.output).toAbsolutePath();
      Files.createDirectories(output.getParent());
      ReportFiles.writeAtomically(output, rendered);
      return true;
    } catch (IOException | InvalidPathException e) {
      err.println(PREFIX + "cannot write " + TextReport.printable(options.output) + ": "
          + (e instanceof IOException io ? describe(io) : "not a valid path"));
      return false;
    }
  }

  /**
   * The merged report; in text headed, when it merges several files, by the files and a line
   * naming their JVMs.
   */
  private static String renderMerged(
      Report merged, List<Report> reports, List<String> names, Options options) {
    Format format = options.format;
    StringBuilder out = new StringBuilder(4096);
    if (format == Format.TEXT && reports.size() > 1) {
      int shown = names.size() <= 5 ? names.size() : 3;
      out.append("==> merged ").append(names.size()).append(" reports: ")
          .append(String.join(", ", names.subList(0, shown)))
          .append(shown < names.size() ? " and " + (names.size() - shown) + " more" : "")
          .append(" <==\n")
          .append("==> ").append(ReportMerge.jvms(reports)).append(" <==\n");
    }
    return out.append(format.renderer.apply(merged, options)).toString();
  }

  /** Each report on its own; several text reports each get a header naming the file. */
  private static String renderEach(List<Report> reports, List<String> names, Options options) {
    Format format = options.format;
    StringBuilder out = new StringBuilder(4096);
    for (int i = 0; i < reports.size(); i++) {
      if (i > 0) {
        out.append('\n');
      }
      if (format == Format.TEXT && reports.size() > 1) {
        out.append("==> ").append(names.get(i)).append(" <==\n");
      }
      out.append(format.renderer.apply(reports.get(i), options));
    }
    return out.toString();
  }

  /** The file relative to the working directory when it lies below it, else as given. */
  private static String shortName(String file) {
    try {
      Path here = Paths.get("").toAbsolutePath();
      Path path = Paths.get(file).toAbsolutePath().normalize();
      return path.startsWith(here) && !path.equals(here) ? here.relativize(path).toString() : file;
    } catch (InvalidPathException e) {
      return file;
    }
  }

  /** Returns the file's report, or prints one line to {@code err} and returns null. */
  private static Report readOrReport(String file, PrintStream err) {
    try {
      return readReport(file);
    } catch (ReportFormatException e) {
      err.println(PREFIX + TextReport.printable(e.getMessage()));
    } catch (InvalidPathException e) {
      err.println(PREFIX + TextReport.printable(file) + ": not a valid path");
    } catch (IOException e) {
      err.println(PREFIX + TextReport.printable(file) + ": " + describe(e));
    }
    return null;
  }

  private static Report readReport(String file) throws IOException {
    return JsonReportReader.read(Paths.get(file));
  }

  /** Says in a few words why a file could not be read, without the JDK's exception names. */
  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : TextReport.printable(message);
  }

  /** The parsed command line. */
  private static final class Options {
    Format format = Format.TEXT;
    boolean help;
    boolean separate;
    String output;
    final List<Path> sourceRoots = new ArrayList<>();
    Path base = Paths.get("");
    Violation.Severity failOn;
    final Set<Violation.Kind> failKinds = EnumSet.noneOf(Violation.Kind.class);
    final List<String> files = new ArrayList<>();

    /** Parses the arguments; throws IllegalArgumentException with a one-line reason. */
    static Options parse(String[] args) {
      Options options = new Options();
      boolean onlyFilesFollow = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (onlyFilesFollow || !arg.startsWith("-") || arg.equals("-")) {
          options.files.add(arg);
        } else if (arg.equals("--")) {
          onlyFilesFollow = true;
        } else if (arg.equals("--help") || arg.equals("-h")) {
          options.help = true;
        } else if (arg.equals("--merge")) {
          options.separate = false; // the default; kept for scripts that ask for it
        } else if (arg.equals("--separate")) {
          options.separate = true;
        } else if (VALUED.contains(flagOf(arg))) {
          String value;
          if (arg.contains("=")) {
            value = arg.substring(arg.indexOf('=') + 1);
          } else if (++i == args.length) {
            throw new IllegalArgumentException(arg + " needs a value");
          } else {
            value = args[i];
          }
          options.set(flagOf(arg), value);
        } else {
          throw new IllegalArgumentException("unknown option " + quote(arg));
        }
      }
      if (options.files.isEmpty() && !options.help) {
        throw new IllegalArgumentException("no report files given");
      }
      if (!options.failKinds.isEmpty() && options.failOn == null) {
        throw new IllegalArgumentException("--fail-kinds needs --fail-on SEVERITY");
      }
      return options;
    }

    private static final List<String> VALUED =
        List.of("--format", "--output", "--fail-on", "--fail-kinds", "--source-root", "--base");

    private static String flagOf(String arg) {
      int equals = arg.indexOf('=');
      return equals < 0 ? arg : arg.substring(0, equals);
    }

    private void set(String flag, String value) {
      switch (flag) {
        case "--format" -> format = parseFormat(value);
        case "--output" -> output = value;
        case "--fail-on" -> failOn = Verdict.severity(value);
        case "--fail-kinds" -> failKinds.addAll(Verdict.kinds(value));
        case "--source-root" -> sourceRoots.add(path(flag, value));
        case "--base" -> base = path(flag, value);
        default -> throw new IllegalStateException("no parser for " + flag);
      }
    }

    /** Where SARIF and HTML find the files of frames, relative to the base. */
    Frames frames() {
      return new Frames(sourceRoots, base);
    }

    private static Path path(String flag, String value) {
      try {
        return Paths.get(value);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(flag + " " + quote(value) + " is not a valid path");
      }
    }

    private static Format parseFormat(String value) {
      for (Format format : Format.values()) {
        if (format.name().toLowerCase(Locale.ROOT).equals(value)) {
          return format;
        }
      }
      List<String> valid = new ArrayList<>();
      for (Format format : Format.values()) {
        valid.add(format.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException(
          "unknown format " + quote(value) + " (valid: " + String.join(", ", valid) + ")");
    }

    private static String quote(String value) {
      return "'" + TextReport.printable(value) + "'";
    }
  }
}
