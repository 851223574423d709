package dev.lockguard.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which findings fail a test: the listed kinds at {@link #severity()} or worse.
 *
 * <p>On a method it wins over one on the class, which wins over the configuration parameters
 * {@code lockguard.failOn.kinds} and {@code lockguard.failOn.severity}. Without any of them,
 * every kind fails the test at {@link Severity#ERROR}. Findings that do not fail the test are
 * still printed and written to the test's JSON report.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface FailOn {

  /** The kinds that fail the test; at least one. */
  Kind[] kinds() default {
    Kind.POTENTIAL_DEADLOCK,
    Kind.LOCK_ORDER_VIOLATION,
    Kind.DEADLOCK,
    Kind.UNSAFE_QUEUE_CHECK,
    Kind.REUSED_LATCH
  };

  /** The least severity that fails the test. */
  Severity severity() default Severity.ERROR;

  /**
   * Whether a {@code POTENTIAL_DEADLOCK} that steering did not reproduce ({@code NOT_REPRODUCED},
   * see {@link LockGuard#confirm()}) still fails the test. True by default: not reproduced in a
   * test is not proof that the cycle cannot deadlock elsewhere.
   */
  boolean unconfirmed() default true;
}
