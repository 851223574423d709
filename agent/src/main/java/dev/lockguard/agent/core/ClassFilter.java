package dev.lockguard.agent.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Decides which classes the agent instruments. Each built-in rule says why it is there. */
public final class ClassFilter {
  /**
   * Class-name prefixes never instrumented, whatever {@code include} says.
   */
  private static final List<String> NEVER = List.of(
      // lockguard itself: hooks calling instrumented hooks would recurse, and its own locks
      // (graph, reporter) must never appear in a report.
      "dev.lockguard.agent.",
      "dev.lockguard.internal.",
      "dev.lockguard.report.",
      "dev.lockguard.junit.",
      // The JDK is loaded by the bootstrap and platform loaders, which are skipped anyway; these
      // names also cover JDK classes defined elsewhere (reflection accessors, method handles).
      "java.",
      "jdk.",
      "sun.",
      "com.sun.proxy.");

  /**
   * Prefixes skipped unless {@code include} names them: test runners and build tools, whose locks
   * are their own business and whose instrumentation would only slow every test run.
   */
  private static final List<String> TOOLING = List.of(
      "org.apache.maven.surefire.",
      "org.apache.maven.plugin.surefire.",
      "org.junit.platform.",
      "org.junit.jupiter.engine.",
      "org.gradle.",
      "worker.org.gradle.",
      "com.intellij.rt.");

  private final List<Pattern> include;
  private final List<Pattern> exclude;
  private final java.util.Set<String> jdkClasses;

  public ClassFilter(List<String> includeGlobs, List<String> excludeGlobs,
      java.util.Set<String> jdkClasses) {
    this.include = compile(includeGlobs);
    this.exclude = compile(excludeGlobs);
    this.jdkClasses = jdkClasses;
  }

  /** Whether to instrument {@code className} (binary name), defined by {@code loader}. */
  public boolean instrument(String className, ClassLoader loader) {
    if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
      return loader == null && jdkClasses.contains(className); // the JDK: only the curated set
    }
    if (className.contains("$$Lambda") || className.indexOf('/') >= 0) {
      return false; // hidden classes (lambdas, method handles) cannot be retransformed
    }
    if (className.equals("dev.lockguard.LockGuard") || startsWithAny(className, NEVER)) {
      return false;
    }
    for (Pattern pattern : exclude) {
      if (pattern.matcher(className).matches()) {
        return false;
      }
    }
    if (!include.isEmpty()) {
      for (Pattern pattern : include) {
        if (pattern.matcher(className).matches()) {
          return true;
        }
      }
      return false;
    }
    return !startsWithAny(className, TOOLING);
  }

  private static boolean startsWithAny(String className, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code *} matches any characters, dots included ({@code com.acme.*} covers every
   * sub-package), and a pattern covers the nested classes of the classes it matches.
   */
  public static Pattern toPattern(String glob) {
    if (glob.indexOf('*') < 0) {
      return Pattern.compile(Pattern.quote(glob) + "(\\$.*)?");
    }
    StringBuilder regex = new StringBuilder();
    String[] parts = glob.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      if (!parts[i].isEmpty()) {
        regex.append(Pattern.quote(parts[i]));
      }
    }
    return Pattern.compile(regex.append("(\\$.*)?").toString());
  }

  private static List<Pattern> compile(List<String> globs) {
    List<Pattern> patterns = new ArrayList<>();
    for (String glob : globs) {
      patterns.add(toPattern(glob));
    }
    return patterns;
  }
}
