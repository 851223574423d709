/**
 * What every detector shares: the configuration, the per-thread state and re-entry guard, the
 * registry of sites, and the one findings pipeline (stable ids, report-once-or-worse, stack
 * trimming, the report). Depends on no detector package; detectors depend on it.
 *
 * <p>Intended for injection into the bootstrap class loader with the rest of the runtime: the
 * agent appends the runtime jar to the bootstrap search path before it installs any transformer,
 * so that application classes and retransformed JDK classes alike resolve the hooks to one copy.
 * Code here depends on the JDK alone, never logs on a hook path, never throws into the
 * application (except a deliberate {@code LockOrderViolationException}) and never takes a lock
 * that application code could also take.
 */
package dev.lockguard.internal.core;
