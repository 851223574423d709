/**
 * Makes lockguard's one runtime reachable from classes of every class loader.
 *
 * <p>Instrumented code calls {@code dev.lockguard.internal.*} hooks, which live on the boot class
 * path. A loader that does not delegate that package to the boot loader (a plugin host that
 * delegates only {@code java.*}, an OSGi framework without boot delegation, a child-first loader
 * that bundles its own copy of the runtime) would fail to link them or link a private copy.
 * {@link dev.lockguard.agent.loader.BootDelegation} rewrites every class loader's
 * {@code loadClass} so that it answers that package from the boot loader first;
 * {@link dev.lockguard.agent.loader.ReachableLoaders} is the safety net that leaves the classes of
 * a loader that could not be rewritten uninstrumented, and says so once.
 */
package dev.lockguard.agent.loader;
