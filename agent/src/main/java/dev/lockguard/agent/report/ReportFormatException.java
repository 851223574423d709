package dev.lockguard.agent.report;

/**
 * Thrown when a text is not a readable {@code lockguard-report/1} document.
 *
 * <p>The message is one line that names the source (when known), the problem and where it is:
 * {@code report.json: line 3, column 7: expected ',' or '}' but found 'x'}.
 */
public final class ReportFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with its one-line message. */
  public ReportFormatException(String message) {
    super(message);
  }

  /** Creates the exception with its one-line message and the failure that caused it. */
  public ReportFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
