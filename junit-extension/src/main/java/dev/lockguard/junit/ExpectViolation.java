package dev.lockguard.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that must trigger a violation: it fails if lockguard finds none that matches.
 *
 * <p>A finding matches when it has this {@link #kind()} and names every lock in {@link #locks()},
 * whatever its severity. Matching findings do not fail the test; any other finding still does.
 * Repeatable: each one must be met (a test that really deadlocks triggers a
 * {@code POTENTIAL_DEADLOCK} first, then the {@code DEADLOCK}).
 * lockguard reports a lock-order cycle once per set of lock objects, so a test that expects one
 * must create its own locks rather than reuse those of an earlier test.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ExpectViolations.class)
public @interface ExpectViolation {

  /** The kind of finding the test must trigger. */
  Kind kind();

  /**
   * Lock names the finding must mention, as the report names them ({@code Account.lock}, after
   * the field that holds the lock); empty accepts any locks.
   */
  String[] locks() default {};
}
