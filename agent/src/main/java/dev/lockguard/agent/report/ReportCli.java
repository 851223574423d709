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
import java.util.function.Function;

/**
 * The {@code report} command: prints lockguard JSON reports as text, JSON or DOT.
 *
 * <p>{@code java -jar lockguard-agent.jar report [--format text|json|dot] [--merge] [--output
 * FILE] [--fail-on SEVERITY [--fail-kinds KIND,...]] FILE|DIR...}. A directory stands for every
 * {@code .json} file below it (a build's per-JVM and per-test reports). Each file is printed on
 * its own, or with {@code --merge} all of them as one report ({@link ReportMerge}: one finding per
 * id, counts added). {@code --output} writes the rendering to a file instead of the output
 * stream. A file that cannot be read or is not a report gets one line on the error stream and
 * exit code 2; the other files are still printed.
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

  public static final String USAGE = "usage: report [--format text|json|dot] [--merge] [--output FILE]"
      + " [--fail-on ERROR|WARNING|INFO [--fail-kinds KIND,...]] FILE|DIR...";

  private static final String PREFIX = "lockguard report: ";

  /** The output formats, each a rendering of a whole report. */
  enum Format {
    TEXT(SummaryText::render),
    JSON(JsonReportWriter::toJson),
    DOT(DotGraph::render);

    private final Function<Report, String> renderer;

    Format(Function<Report, String> renderer) {
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
    StringBuilder rendered = new StringBuilder(4096);
    List<Report> judged = new ArrayList<>();
    boolean allRead = options.merge
        ? renderMerged(files, options, rendered, judged, err)
        : renderAll(files, options, rendered, judged, err);
    if (!write(rendered.toString(), options, out, err)) {
      return EXIT_ERROR;
    }
    if (!allRead) {
      return EXIT_ERROR;
    }
    if (options.failOn != null && !judged.isEmpty()) {
      Verdict verdict = new Verdict(options.failOn, options.failKinds);
      return verdict.print(ReportMerge.merge(judged), err) ? EXIT_FINDINGS : EXIT_OK;
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

  /** Renders the readable files as one report, headed in text by the files it merges. */
  private static boolean renderMerged(List<String> files, Options options, StringBuilder out,
      List<Report> read, PrintStream err) {
    List<String> merged = new ArrayList<>();
    for (String file : files) {
      Report report = readOrReport(file, err);
      if (report != null) {
        read.add(report);
        merged.add(TextReport.printable(file));
      }
    }
    if (!read.isEmpty()) {
      if (options.format == Format.TEXT) {
        out.append("==> merged: ").append(String.join(", ", merged)).append(" <==\n");
      }
      out.append(options.format.renderer.apply(ReportMerge.merge(read)));
    }
    return read.size() == files.size();
  }

  private static boolean renderAll(List<String> files, Options options, StringBuilder out,
      List<Report> read, PrintStream err) {
    boolean allPrinted = true;
    boolean separate = false;
    for (String file : files) {
      Report report = readOrReport(file, err);
      if (report == null) {
        allPrinted = false;
        continue;
      }
      read.add(report);
      appendOne(out, file, options.format.renderer.apply(report), options, files.size(),
          separate);
      separate = true;
    }
    return allPrinted;
  }

  /** Appends a rendered report; several text reports each get a header naming the file. */
  private static void appendOne(StringBuilder out, String file, String rendered, Options options,
      int fileCount, boolean separate) {
    if (separate) {
      out.append('\n');
    }
    if (options.format == Format.TEXT && fileCount > 1) {
      out.append("==> ").append(TextReport.printable(file)).append(" <==\n");
    }
    out.append(rendered);
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
    boolean merge;
    String output;
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
          options.merge = true;
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
        List.of("--format", "--output", "--fail-on", "--fail-kinds");

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
        default -> throw new IllegalStateException("no parser for " + flag);
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
