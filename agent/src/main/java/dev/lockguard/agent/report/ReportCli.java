package dev.lockguard.agent.report;

import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.Report;
import dev.lockguard.report.TextReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The {@code report} command: prints lockguard JSON reports as text, JSON or DOT.
 *
 * <p>{@code java -jar lockguard-agent.jar report [--format text|json|dot] [--merge] FILE...}.
 * Each file is printed on its own, or with {@code --merge} all of them as one report ({@link
 * ReportMerge}: one finding per id, counts added). A file that cannot be read or is not a report
 * gets one line on the error stream and exit code 2; the other files are still printed. The
 * command does not judge violations: it exits 0 whenever every file was printed.
 */
public final class ReportCli {

  /** Every file was printed. */
  public static final int EXIT_OK = 0;

  /** A file could not be printed, or the command line was wrong. */
  public static final int EXIT_ERROR = 2;

  static final String USAGE = "usage: report [--format text|json|dot] [--merge] FILE...";

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
    return options.merge ? printMerged(options, out, err) : printAll(options, out, err);
  }

  /** Prints the readable files as one report, headed in text by the files it merges. */
  private static int printMerged(Options options, PrintStream out, PrintStream err) {
    List<Report> reports = new ArrayList<>();
    List<String> merged = new ArrayList<>();
    for (String file : options.files) {
      Report report = readOrReport(file, err);
      if (report != null) {
        reports.add(report);
        merged.add(TextReport.printable(file));
      }
    }
    if (!reports.isEmpty()) {
      if (options.format == Format.TEXT) {
        out.println("==> merged: " + String.join(", ", merged) + " <==");
      }
      out.print(options.format.renderer.apply(ReportMerge.merge(reports)));
    }
    out.flush();
    return reports.size() == options.files.size() ? EXIT_OK : EXIT_ERROR;
  }

  private static int printAll(Options options, PrintStream out, PrintStream err) {
    boolean allPrinted = true;
    boolean separate = false;
    for (String file : options.files) {
      String rendered = renderOrReport(file, options.format, err);
      if (rendered == null) {
        allPrinted = false;
        continue;
      }
      printOne(out, file, rendered, options, separate);
      separate = true;
    }
    out.flush();
    return allPrinted ? EXIT_OK : EXIT_ERROR;
  }

  /** Prints a rendered report; several text reports each get a header naming the file. */
  private static void printOne(
      PrintStream out, String file, String rendered, Options options, boolean separate) {
    if (separate) {
      out.println();
    }
    if (options.format == Format.TEXT && options.files.size() > 1) {
      out.println("==> " + TextReport.printable(file) + " <==");
    }
    out.print(rendered);
  }

  /** Returns the file's rendering, or prints one line to {@code err} and returns null. */
  private static String renderOrReport(String file, Format format, PrintStream err) {
    Report report = readOrReport(file, err);
    return report == null ? null : format.renderer.apply(report);
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
    Path path = Paths.get(file);
    if (Files.isDirectory(path)) {
      throw new IOException("is a directory, not a report file");
    }
    return JsonReportReader.read(path);
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
        } else if (arg.equals("--format")) {
          if (++i == args.length) {
            throw new IllegalArgumentException("--format needs a value");
          }
          options.format = parseFormat(args[i]);
        } else if (arg.startsWith("--format=")) {
          options.format = parseFormat(arg.substring("--format=".length()));
        } else {
          throw new IllegalArgumentException("unknown option " + quote(arg));
        }
      }
      if (options.files.isEmpty() && !options.help) {
        throw new IllegalArgumentException("no report files given");
      }
      return options;
    }

    private static Format parseFormat(String value) {
      for (Format format : Format.values()) {
        if (format.name().toLowerCase(Locale.ROOT).equals(value)) {
          return format;
        }
      }
      throw new IllegalArgumentException(
          "unknown format " + quote(value) + " (valid: text, json, dot)");
    }

    private static String quote(String value) {
      return "'" + TextReport.printable(value) + "'";
    }
  }
}
