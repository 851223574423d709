package dev.lockguard.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;

/**
 * A seconds-long smoke run of every jcstress test in this module, without jcstress's harness: a
 * few hundred iterations, each starting the actors together in fresh threads and then running the
 * arbiter, and each outcome graded by the test's own {@code @Outcome}s. It proves in
 * {@code mvn verify} that the tests run and that their expected outcome is graded acceptable; the
 * real hunt for races is {@code stress/run.sh}.
 */
class JcstressSmokeTests {
  private static final int ITERATIONS = 300;
  private static final long BOUND_SECONDS = 30;

  @TestFactory
  Stream<DynamicTest> everyOutcomeOfASmokeRunIsAcceptable() throws Exception {
    List<Class<?>> tests = jcstressTests();
    assertThat(tests).as("jcstress tests in this module").hasSizeGreaterThanOrEqualTo(7);
    return tests.stream().map(test -> DynamicTest.dynamicTest(test.getSimpleName(), () -> smoke(test)));
  }

  @Test
  void gradingFollowsTheTestsOwnOutcomes() {
    assertThat(grade(ConflictingEdges.class, "1, 0, 3")).isEqualTo(Expect.ACCEPTABLE);
    assertThat(grade(ConflictingEdges.class, "0, 0, 3")).as("lost").isEqualTo(Expect.FORBIDDEN);
    assertThat(grade(ConflictingEdges.class, "2, 0, 3")).as("doubled").isEqualTo(Expect.FORBIDDEN);
    assertThat(grade(EventPublishes.class, "7")).as("unknown").isEqualTo(Expect.FORBIDDEN);
  }

  private static void smoke(Class<?> test) throws Exception {
    List<Method> actors = annotated(test, Actor.class);
    List<Method> arbiters = annotated(test, Arbiter.class);
    Class<?> resultType = resultType(test);
    for (int i = 0; i < ITERATIONS; i++) {
      Object state = test.getConstructor().newInstance();
      Object result = resultType.getConstructor().newInstance();
      runTogether(actors, state, result);
      for (Method arbiter : arbiters) {
        invoke(arbiter, state, result);
      }
      String outcome = result.toString();
      assertThat(grade(test, outcome)).as("%s outcome %s", test.getSimpleName(), outcome)
          .isIn(Expect.ACCEPTABLE, Expect.ACCEPTABLE_INTERESTING);
    }
  }

  /** Starts every actor in its own thread at once; waits (bounded) for all of them. */
  private static void runTogether(List<Method> actors, Object state, Object result)
      throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (Method actor : actors) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          invoke(actor, state, result);
        } catch (Throwable failure) {
          synchronized (failures) {
            failures.add(failure);
          }
        }
      }, actor.getName());
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
      assertThat(thread.isAlive()).as("actor %s finished", thread.getName()).isFalse();
    }
    assertThat(failures).as("actor failures").isEmpty();
  }

  /** The first {@code @Outcome} whose ids match, in declaration order; then the catch-all one. */
  static Expect grade(Class<?> test, String outcome) {
    Outcome catchAll = null;
    for (Outcome candidate : test.getAnnotationsByType(Outcome.class)) {
      if (candidate.id().length == 0) {
        catchAll = candidate;
      }
      for (String id : candidate.id()) {
        if (outcome.matches(id)) {
          return candidate.expect();
        }
      }
    }
    return catchAll == null ? Expect.FORBIDDEN : catchAll.expect();
  }

  private static void invoke(Method method, Object state, Object result) throws Exception {
    Object[] args = new Object[method.getParameterCount()];
    for (int i = 0; i < args.length; i++) {
      args[i] = result;
    }
    method.invoke(state, args);
  }

  private static Class<?> resultType(Class<?> test) {
    for (Method method : test.getMethods()) {
      for (Parameter parameter : method.getParameters()) {
        if (parameter.getType().getName().startsWith("org.openjdk.jcstress.infra.results.")) {
          return parameter.getType();
        }
      }
    }
    throw new AssertionError(test + " has no result parameter");
  }

  private static List<Method> annotated(Class<?> test, Class<? extends java.lang.annotation.Annotation> kind) {
    List<Method> methods = new ArrayList<>();
    for (Method method : test.getMethods()) {
      if (method.isAnnotationPresent(kind)) {
        methods.add(method);
      }
    }
    return methods;
  }

  /** The {@code @JCStressTest} classes compiled into this module's test classes. */
  private static List<Class<?>> jcstressTests() throws IOException, URISyntaxException {
    Path root = Path.of(JcstressSmokeTests.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Path dir = root.resolve(JcstressSmokeTests.class.getPackageName().replace('.', '/'));
    List<Class<?>> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".class") && !name.contains("$")) {
          Class<?> type = loadQuietly(name.substring(0, name.length() - ".class".length()));
          if (type != null && type.isAnnotationPresent(JCStressTest.class)) {
            tests.add(type);
          }
        }
      }
    }
    return tests;
  }

  private static Class<?> loadQuietly(String simpleName) {
    try {
      return Class.forName(JcstressSmokeTests.class.getPackageName() + "." + simpleName);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
