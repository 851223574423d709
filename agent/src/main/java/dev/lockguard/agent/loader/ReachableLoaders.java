package dev.lockguard.agent.loader;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiPredicate;

/**
 * The safety net: knows which class loaders can link lockguard's hooks, and keeps the lock
 * rewriters away from the classes of any loader that cannot, saying so once per loader on stderr.
 *
 * <p>A loader reaches the boot loader's {@code dev.lockguard.internal} when the most derived
 * {@code loadClass} of its class was rewritten by {@link LoaderTransformer}, or when its class
 * overrides none (the JDK's loaders included) and its parent reaches it; the boot loader does.
 * It cannot when that {@code loadClass} could not be rewritten, or when its class is hidden
 * (hidden classes never pass through a transformer, so nobody knows what they do). The answer
 * comes from {@code getClass}, {@code getSuperclass} and the final {@code getParent} only: nothing
 * of the loader's own code runs while one of its classes is being transformed.
 */
public final class ReachableLoaders {
  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

  /** Loader class name: true when its {@code loadClass} was rewritten, false when it failed. */
  private final ConcurrentMap<String, Boolean> loaderClasses = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> failures = new ConcurrentHashMap<>();
  private final List<WeakReference<ClassLoader>> reported = new ArrayList<>();

  /** Whether {@code loader} is the JDK's (boot or platform): they delegate parent-first. */
  static boolean isJdk(ClassLoader loader) {
    return loader == null || loader == PLATFORM;
  }

  void rewritten(String loaderClass) {
    loaderClasses.merge(loaderClass, true, Boolean::logicalAnd);
  }

  /** Records that the {@code loadClass} of {@code loaderClass} could not be rewritten. */
  public void failed(String loaderClass, Throwable failure) {
    loaderClasses.put(loaderClass, false);
    failures.putIfAbsent(loaderClass, String.valueOf(failure));
  }

  /** Whether code {@code loader} defines links {@code dev.lockguard.internal} to the boot loader. */
  public boolean reaches(ClassLoader loader) {
    for (ClassLoader current = loader; current != null; current = current.getParent()) {
      String blocker = blocker(current.getClass());
      if (blocker == null) {
        return true;
      }
      if (!blocker.isEmpty()) {
        return false;
      }
    }
    return true; // the boot loader
  }

  /**
   * Why a loader of this class cannot reach the runtime: null when it can, whatever its parent;
   * empty when it delegates to its parent first; otherwise the reason.
   */
  private String blocker(Class<?> loaderClass) {
    for (Class<?> type = loaderClass; type != ClassLoader.class; type = type.getSuperclass()) {
      if (isJdk(type.getClassLoader())) {
        return ""; // the JDK's own loaders ask their parent first
      }
      if (type.isHidden()) {
        return "its class " + type.getName() + " is hidden, so lockguard could not rewrite its"
            + " loadClass";
      }
      Boolean rewritten = loaderClasses.get(type.getName());
      if (rewritten != null) {
        return rewritten ? null : "lockguard could not rewrite " + type.getName()
            + ".loadClass (" + failures.get(type.getName()) + ")";
      }
    }
    return "";
  }

  /**
   * {@code transformer}, for the classes of loaders that reach the runtime only; for the others
   * that {@code watched} selects, one stderr line per loader, and the class is left unchanged.
   */
  public ClassFileTransformer gate(ClassFileTransformer transformer,
      BiPredicate<String, ClassLoader> watched) {
    return new ClassFileTransformer() {
      @Override
      public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined,
          ProtectionDomain domain, byte[] classfile) throws IllegalClassFormatException {
        if (isJdk(loader) || reaches(loader)) {
          return transformer.transform(loader, internalName, redefined, domain, classfile);
        }
        if (internalName != null && watched.test(internalName.replace('/', '.'), loader)) {
          reportOnce(loader);
        }
        return null;
      }
    };
  }

  private void reportOnce(ClassLoader loader) {
    synchronized (reported) {
      reported.removeIf(seen -> seen.get() == null);
      for (WeakReference<ClassLoader> seen : reported) {
        if (seen.get() == loader) {
          return;
        }
      }
      reported.add(new WeakReference<>(loader));
    }
    String reason = reason(loader);
    System.err.println("lockguard: the classes of class loader " + name(loader)
        + " are not instrumented and their locks are not watched: it does not delegate"
        + " dev.lockguard.internal to the boot loader, and " + reason + ".");
  }

  private String reason(ClassLoader loader) {
    for (ClassLoader current = loader; current != null; current = current.getParent()) {
      String blocker = blocker(current.getClass());
      if (blocker != null && !blocker.isEmpty()) {
        return current == loader ? blocker : "neither does its parent " + name(current) + ": "
            + blocker;
      }
    }
    return "the reason is unknown";
  }

  /** Class and identity: {@code toString} and {@code getName} may run the loader's own code. */
  private static String name(ClassLoader loader) {
    return loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader));
  }
}
