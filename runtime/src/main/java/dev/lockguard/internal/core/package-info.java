/**
 * The detectors' state and the static hooks that instrumented code calls.
 *
 * <p>Intended for injection into the bootstrap class loader: the agent appends this jar to the
 * bootstrap search path before it installs any transformer, so that application classes and
 * retransformed JDK classes alike resolve {@link dev.lockguard.runtime.Hooks} to one copy. Code
 * here depends on the JDK alone, never logs on a hook path, never throws into the application
 * (except a deliberate {@code LockOrderViolationException}) and never takes a lock that
 * application code could also take.
 */
package dev.lockguard.internal.core;
