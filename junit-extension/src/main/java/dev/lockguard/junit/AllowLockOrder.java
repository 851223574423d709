package dev.lockguard.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Accepts a known, reviewed lock-order finding among these locks, with the reason it is safe.
 *
 * <p>A {@code POTENTIAL_DEADLOCK} or {@code LOCK_ORDER_VIOLATION} whose locks are all listed here
 * does not fail the test; lockguard still prints it and writes it to the test's JSON report, and
 * the test publishes a {@code lockguard.allowed} report entry with the reason. Any other finding,
 * including a cycle through one more lock, still fails the test. Repeatable, and on a class it
 * holds for every test of the class.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(AllowLockOrders.class)
public @interface AllowLockOrder {

  /**
   * The locks, as the report names them, each once; at least one. One name accepts a cycle among
   * instances of that lock ({@code Account.lock -> Account.lock}, two accounts locked in opposite
   * orders).
   */
  String[] locks();

  /** Why this order is safe, for the next reader; not blank. */
  String reason();
}
