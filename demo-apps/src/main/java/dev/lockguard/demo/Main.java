package dev.lockguard.demo;

import dev.lockguard.LockGuard;
import dev.lockguard.LockOrderViolationException;
import dev.lockguard.demo.actors.Actors;
import dev.lockguard.demo.connections.Connections;
import dev.lockguard.demo.philosophers.Philosophers;
import dev.lockguard.demo.producerconsumer.ProducerConsumer;
import dev.lockguard.demo.pubsub.PubSub;
import dev.lockguard.demo.timer.Timers;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java [-javaagent:lockguard-agent.jar[=OPTIONS]] -jar lockguard-demos.jar [DEMO VARIANT]}:
 * lists the demos, or runs one variant of one.
 *
 * <p>Exit codes: 0 when the variant ran to its end (whatever the agent reported), 1 when it ended
 * with an exception (such as the {@code LockOrderViolationException} of {@code policy=throw}), 2
 * for bad arguments, 3 if the watchdog had to stop a variant that overran its time.
 */
public final class Main {
  /** Every demo, in the order the listing shows them. */
  static final List<Demo> DEMOS = List.of(
      Philosophers.demo(),
      ProducerConsumer.demo(),
      Connections.demo(),
      Timers.demo(),
      Actors.demo(),
      PubSub.demo());

  /** Every variant bounds its own waits well below this; the watchdog is the last resort. */
  static final Duration WATCHDOG = Duration.ofMillis(9_500);

  private static final String USAGE =
      "java [-javaagent:agent/target/lockguard-agent.jar[=OPTIONS]] -jar lockguard-demos.jar DEMO VARIANT";

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Lists or runs, and returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || List.of("-h", "--help", "help", "list").contains(args[0])) {
      printList(out);
      return 0;
    }
    Demo demo = find(args[0]);
    if (demo == null) {
      return badArguments(err, "unknown demo \"" + args[0] + "\". Valid demos: "
          + String.join(", ", DEMOS.stream().map(Demo::name).toList()) + ".");
    }
    if (args.length == 1) {
      return badArguments(err, "say which variant of " + demo.name() + " to run: "
          + String.join(", ", demo.variantNames()) + ".");
    }
    Demo.Variant variant = demo.variant(args[1]);
    if (variant == null) {
      return badArguments(err, "unknown variant \"" + args[1] + "\" of " + demo.name()
          + ". Valid variants: " + String.join(", ", demo.variantNames()) + ".");
    }
    if (args.length > 2) {
      return badArguments(err, "too many arguments after \"" + demo.name() + " " + variant.name()
          + "\". Run: " + USAGE);
    }
    return runVariant(demo, variant, err);
  }

  private static int badArguments(PrintStream err, String message) {
    err.println("lockguard-demos: " + message);
    return 2;
  }

  private static Demo find(String name) {
    for (Demo demo : DEMOS) {
      if (demo.name().equals(name)) {
        return demo;
      }
    }
    return null;
  }

  private static void printList(PrintStream out) {
    out.println("lockguard demos: the classic concurrency recipes, each broken and fixed.");
    out.println();
    out.println("usage: " + USAGE);
    out.println();
    for (Demo demo : DEMOS) {
      out.printf("%-20s%s%n", demo.name(), demo.summary());
      for (Demo.Variant variant : demo.variants()) {
        out.printf("  %-18s%s%n", variant.name(), variant.agentSays());
      }
    }
  }

  private static int runVariant(Demo demo, Demo.Variant variant, PrintStream err) {
    String title = demo.name() + " " + variant.name();
    Logger log = LoggerFactory.getLogger(Main.class);
    log.info("{}: {}", title, variant.agentSays());
    if (!LockGuard.agentActive()) {
      log.info("the lockguard agent is not attached: add -javaagent:agent/target/lockguard-agent.jar"
          + " to see what it finds");
    }
    startWatchdog(title, err);
    try {
      variant.body().run();
      log.info("{}: done", title);
      return 0;
    } catch (LockOrderViolationException expected) {
      err.println("lockguard-demos: " + title + " ended with " + expected);
      return 1;
    } catch (Exception | Error failure) {
      err.println("lockguard-demos: " + title + " ended with " + failure);
      failure.printStackTrace(err);
      return 1;
    }
  }

  /** Stops the JVM if the variant overruns: a demo must never hang a terminal. */
  private static void startWatchdog(String title, PrintStream err) {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(WATCHDOG.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      err.println("lockguard-demos: " + title + " did not end within " + WATCHDOG.toMillis()
          + " ms and was stopped; this is a bug in the demo.");
      System.exit(3);
    }, "demo-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
