package dev.lockguard.agent;

import dev.lockguard.agent.classinit.ClassInitClassVisitor;
import dev.lockguard.agent.classinit.PackageStarters;
import dev.lockguard.agent.core.ClassFilter;
import dev.lockguard.agent.core.LockTransformer;
import dev.lockguard.agent.core.TypeHierarchy;
import dev.lockguard.agent.latch.LatchTypes;
import dev.lockguard.agent.loader.LoaderTransformer;
import dev.lockguard.agent.loader.ReachableLoaders;
import dev.lockguard.internal.Lifecycle;
import dev.lockguard.internal.classinit.ClassInits;
import dev.lockguard.internal.classinit.Entries;
import dev.lockguard.internal.lockorder.Steering;
import dev.lockguard.internal.core.Config;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's one start: parses the options, starts the runtime with them and installs the
 * transformer. Runs after {@code premain} (or {@code agentmain}) has put the runtime on the
 * bootstrap class path.
 *
 * <p>The transformer is a plain {@code ClassFileTransformer} running ASM visitors: byte-buddy's
 * agent builder cost most of a second of start-up (a thousand classes to load) for matching we
 * do with a few string tests. Application type hierarchies are read lazily from the class files'
 * headers (see {@link TypeHierarchy}).
 */
final class Installer {
  private Installer() {}

  /**
   * Starts lockguard with the options of {@code argument} and the {@code lockguard.*} system
   * properties.
   *
   * @throws AgentOptions.BadOption before anything started, when an option is bad
   */
  static void install(String argument, Instrumentation instrumentation)
      throws AgentOptions.BadOption {
    AgentOptions options = AgentOptions.parse(argument, System.getProperties());
    for (String warning : options.warnings()) {
      System.err.println("lockguard: " + warning);
    }
    openLocksPackageToRuntime(instrumentation);
    Lifecycle.start(options.config());
    if (!options.confirm().isEmpty()) {
      Steering.armForRun(options.confirm(), options.confirmHoldMillis());
    }
    ClassFilter filter =
        new ClassFilter(options.include(), options.exclude(), options.jdkClasses());
    // Class loaders first: a loader's loadClass must ask the boot loader for the hooks before
    // any class it defines is rewritten to call them (docs/architecture.md, "Class loaders").
    ReachableLoaders loaders = new ReachableLoaders();
    instrumentation.addTransformer(new LoaderTransformer(loaders), true);
    LockTransformer locks =
        new LockTransformer(filter, Rewriters.of(new LatchTypes(options.latches()),
            options.classInit()));
    if (options.classInit()) { // before the transformer, which keeps class files for it
      ClassInits.readWith(ClassInitClassVisitor.READER);
      Entries.readPackagesWith(new PackageStarters(instrumentation));
    }
    instrumentation.addTransformer(loaders.gate(locks, filter::instrument), true);
    retransformLoaded(instrumentation, filter, loaders);
  }

  /**
   * Retransforms the classes loaded before the agent that it should watch or that define classes:
   * the curated JDK classes, and any application class or class loader already loaded (an agent
   * attached at run time). One at a
   * time when a batch fails, so that one unmodifiable class cannot hide the rest.
   */
  private static void retransformLoaded(Instrumentation instrumentation, ClassFilter filter,
      ReachableLoaders loaders) {
    List<Class<?>> loaded = new ArrayList<>();
    List<Class<?>> watched = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (type.isArray() || !instrumentation.isModifiableClass(type)) {
        continue;
      }
      if (LoaderTransformer.wants(type)) {
        loaded.add(type); // loaders first: their classes are only rewritten once they delegate
      } else if (filter.instrument(type.getName(), type.getClassLoader())) {
        watched.add(type);
      }
    }
    loaded.addAll(watched);
    if (loaded.isEmpty()) {
      return;
    }
    try {
      instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
    } catch (Throwable batchFailure) {
      for (Class<?> type : loaded) {
        try {
          instrumentation.retransformClasses(type);
        } catch (Throwable failure) {
          if (LoaderTransformer.wants(type)) {
            loaders.failed(type.getName(), failure); // its classes are left alone, and it says so
          }
          System.err.println("lockguard: could not instrument " + type.getName()
              + "; its locks are not watched (" + failure + ")");
        }
      }
    }
  }

  /**
   * Lets the runtime read {@code ReentrantReadWriteLock.ReadLock.sync} (and
   * {@code ReentrantLock.sync}), so that a read-write lock's two halves are one node in the graph
   * and a real deadlock's locks get their graph names.
   */
  private static void openLocksPackageToRuntime(Instrumentation instrumentation) {
    Module javaBase = Object.class.getModule();
    Module runtime = Config.class.getModule();
    if (instrumentation.isModifiableModule(javaBase)) {
      instrumentation.redefineModule(javaBase, Set.of(), Map.of(),
          Map.of("java.util.concurrent.locks", Set.of(runtime)), Set.of(), Map.of());
    }
  }
}
