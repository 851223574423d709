package dev.lockguard.internal.classinit;

import dev.lockguard.internal.classinit.ClassInits.Info;
import dev.lockguard.internal.core.PerThread;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which classes of a cycle a second thread can start initializing. A thread starts a class's
 * initialization only by {@code new}, a static field that is not a compile-time constant, a
 * static method, a subclass's initialization, or reflection ({@code Class.forName}, not counted).
 * So a class whose declarations offer none of these outside its package ({@link
 * ClassInits#PACKAGE_ENTRY}) is an entry only if code of its package starts it; the code of the
 * cycle's classes and of their subclasses does not count, since it cannot run before their own
 * initialization finished.
 *
 * <p>That question is asked only when a cycle through such a class is about to be reported. The
 * agent's {@link PackageReader} reads the package's class files, in a thread of its
 * own that holds none of the application's locks or initializations: the thread that closed the
 * cycle waits for it, at most {@value #READ_MILLIS} ms, and counts the class as an entry when no
 * answer comes (better a report too many than a deadlock missed). A class without an initializer
 * was declared without reading its members ({@link ClassInits#ENTRY_UNREAD}): the reader reads
 * its class file first, the same way, and a class file it cannot read counts as an entry.
 */
public final class Entries {
  /** How long a thread waits for a package to be read. */
  private static final long READ_MILLIS = 5_000;
  /** An entry that any code can start. */
  static final String ANY_CODE = "";

  private static volatile PackageReader reader;
  /** What the reader said, by class and classes not counted: a class name, or "" for none. */
  private static final Map<String, String> SAID = new ConcurrentHashMap<>();

  private Entries() {}

  /** The agent's reader of packages, which {@link ClassInits#PACKAGE_ENTRY} classes need. */
  public static void readPackagesWith(PackageReader packageReader) {
    reader = packageReader;
  }

  /**
   * The classes of {@code classes} that a thread can start initializing, each with where it is
   * started from: {@link #ANY_CODE}, or the class of its package whose code starts it. A class
   * no other code can start is absent.
   */
  static Map<Info, String> of(List<Info> classes) {
    Set<String> notCounted = new TreeSet<>();
    for (Info info : classes) {
      notCounted.add(info.name);
    }
    Map<Info, String> entries = new HashMap<>();
    for (Info info : classes) {
      if (info.has(ClassInits.NOT_AN_ENTRY)) {
        continue;
      }
      String starter = packageOnly(info) ? starterOf(info.name, notCounted) : ANY_CODE;
      if (starter != null) {
        entries.put(info, starter);
      }
    }
    return entries;
  }

  /**
   * Whether only code of its package can start {@code info}'s initialization, reading its class
   * file now if it was declared unread; false when that cannot be read.
   */
  private static boolean packageOnly(Info info) {
    if (info.has(ClassInits.ENTRY_UNREAD)) {
      PackageReader reading = reader;
      Boolean[] answer = new Boolean[1];
      if (reading != null && ask(() -> answer[0] = reading.packageOnly(info.name))
          && answer[0] != null) {
        ClassInits.entryRead(info, answer[0]);
      }
    }
    return info.has(ClassInits.PACKAGE_ENTRY);
  }

  /** The class of its package that starts {@code className}, "" if unknown, null if none. */
  private static String starterOf(String className, Set<String> notCounted) {
    String key = className + " " + notCounted;
    String said = SAID.get(key);
    if (said == null) {
      said = read(className, notCounted);
      if (said == null) {
        return ANY_CODE; // not read: counted as an entry, not remembered
      }
      SAID.put(key, said);
    }
    return said.isEmpty() ? null : said;
  }

  private static String read(String className, Set<String> notCounted) {
    PackageReader reading = reader;
    String[] answer = new String[1];
    return reading != null && ask(() -> answer[0] = reading.starterOf(className, notCounted))
        ? answer[0] : null;
  }

  /**
   * Runs {@code question} in a reading thread of its own and waits for it at most {@value
   * #READ_MILLIS} ms; false when it did not finish by then, or the waiting thread was interrupted.
   */
  private static boolean ask(Runnable question) {
    PerThread.Step<Runnable> step = (asked, first, second, site, extra) -> asked.run();
    Thread thread = new Thread(() -> PerThread.current().run(step, question, null, null, 0, 0),
        "lockguard-package-reader");
    thread.setDaemon(true);
    thread.start();
    try {
      thread.join(READ_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the application's interrupt, kept for it
      return false;
    }
    return !thread.isAlive();
  }
}
