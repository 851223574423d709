package dev.lockguard.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test in which the lockguard agent finds a concurrency violation.
 *
 * <p>On a class it watches every test of the class (and of its {@code @Nested} classes); on a
 * method, that test only. A violation found in the test's thread, or in a thread the test
 * started, fails the test after it ran, with lockguard's report as the message. Which findings
 * fail a test is set by {@link FailOn} (default: every kind at {@link Severity#ERROR});
 * {@link ExpectViolation} and {@link AllowLockOrder} make exceptions.
 *
 * <p>The agent must be attached to the test JVM ({@code -javaagent}); without it the extension
 * fails with the Maven setup to copy. To switch the extension on for every test without this
 * annotation, set {@code junit.jupiter.extensions.autodetection.enabled=true}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LockGuardExtension.class)
public @interface LockGuard {

  /**
   * How long a test may run before lockguard looks for a deadlock among its threads and, if it
   * finds one, fails the test with the {@code DEADLOCK} report and abandons its stuck thread.
   *
   * <p>A number with an optional unit {@code ms}, {@code s}, {@code m} or {@code h} (default
   * seconds), for example {@code "30 s"}. Empty (the default) takes the configuration parameter
   * {@code lockguard.deadlockTimeout}, itself 60 seconds by default. While the timeout is on, the
   * test method runs in a thread of its own, as with JUnit's {@code @Timeout(threadMode =
   * SEPARATE_THREAD)}; {@code "0"} turns it off and runs the test in JUnit's thread, where a
   * deadlocked test hangs the build.
   */
  String deadlockTimeout() default "";

  /**
   * Confirms each {@code POTENTIAL_DEADLOCK} that would fail the test by running the test again
   * with the schedule steered: threads are held back at the cycle's acquisition sites until they
   * all hold their lock and are about to take the next one ({@code CONFIRMED}, and lockguard
   * stops one of them), or until no attempt gets there ({@code NOT_REPRODUCED}). The finding's
   * report says which. True here, or the configuration parameter {@code lockguard.confirm=true},
   * turns it on; {@code lockguard.confirm.attempts} (default 3) and {@code lockguard.confirm.hold}
   * (default {@code 1 s}) bound it.
   */
  boolean confirm() default false;
}
