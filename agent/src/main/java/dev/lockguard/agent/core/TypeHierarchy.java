package dev.lockguard.agent.core;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Answers "is this application type a {@code Lock} (a {@code Queue}, ...)?" for call sites whose
 * owner is not a JDK type, by reading class files through byte-buddy's {@link TypePool} without
 * loading the classes. The pool is made on first need per class loader: most classes never ask,
 * so start-up does not pay for byte-buddy.
 */
public final class TypeHierarchy {
  private static final Map<ClassLoader, TypePool> POOLS = new WeakHashMap<>();

  private final ClassLoader loader;
  private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

  TypeHierarchy(ClassLoader loader) {
    this.loader = loader;
  }

  /** Whether {@code internalName} is assignable to {@code type}; false if it cannot be resolved. */
  public boolean isSubtypeOf(String internalName, Class<?> type) {
    return answers.computeIfAbsent(internalName + ' ' + type.getName(),
        key -> resolve(internalName, type));
  }

  private boolean resolve(String internalName, Class<?> type) {
    try {
      TypePool.Resolution resolution = pool().describe(internalName.replace('/', '.'));
      if (!resolution.isResolved()) {
        return false;
      }
      TypeDescription description = resolution.resolve();
      return description.isAssignableTo(type);
    } catch (RuntimeException | LinkageError e) {
      return false; // an unresolvable hierarchy: leave the call alone
    }
  }

  /** Made on first use only. */
  private static final class BootPool {
    static final TypePool POOL = TypePool.Default.of(ClassFileLocator.ForClassLoader.ofBootLoader());
  }

  private TypePool pool() {
    if (loader == null) {
      return BootPool.POOL;
    }
    synchronized (POOLS) {
      return POOLS.computeIfAbsent(loader,
          l -> TypePool.Default.of(ClassFileLocator.ForClassLoader.of(l)));
    }
  }
}
