package dev.lockguard.agent;

import dev.lockguard.runtime.Settings;
import dev.lockguard.runtime.Watchdog;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Parses the options, configures the runtime and installs the transformer. Runs after
 * {@link AgentMain} has put the runtime on the bootstrap class path.
 */
final class Installer {
  /**
   * Whether the class being transformed on this thread is already loaded. byte-buddy tells its
   * listener, just before it calls the transformer on the same thread.
   */
  private static final ThreadLocal<Boolean> RETRANSFORMING = ThreadLocal.withInitial(() -> false);

  private Installer() {}

  static void install(String argument, Instrumentation instrumentation, boolean atStartup) {
    Options options;
    try {
      options = Options.parse(argument, System.getProperties());
    } catch (IllegalArgumentException e) {
      AgentMain.fail(e.getMessage(), atStartup);
      return;
    }
    openLocksPackageToRuntime(instrumentation);
    Settings.configure(options.report, Settings.Policy.valueOf(options.policy.toUpperCase()),
        Settings.Order.valueOf(options.order.toUpperCase()), false);
    Watchdog.start(options.watchdogMillis);
    ClassFilter filter = new ClassFilter(options.include, options.exclude);
    LatchTypes latchTypes = new LatchTypes(options.latches);
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(new TransformErrors())
        .ignore(new AgentBuilder.RawMatcher() {
          @Override
          public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module,
              Class<?> classBeingRedefined, ProtectionDomain domain) {
            return !filter.instrument(type.getName(), loader);
          }
        })
        .type(ElementMatchers.any())
        .transform((builder, type, loader, module, domain) -> transform(builder, latchTypes))
        .installOn(instrumentation);
  }

  private static DynamicType.Builder<?> transform(DynamicType.Builder<?> builder,
      LatchTypes latchTypes) {
    return builder.visit(new LockSiteWrapper(!RETRANSFORMING.get()))
        .visit(new LatchWrapper(latchTypes));
  }

  /**
   * Lets the runtime read {@code ReentrantReadWriteLock.ReadLock.sync}, so that a read-write
   * lock's two halves are one node in the graph.
   */
  private static void openLocksPackageToRuntime(Instrumentation instrumentation) {
    Module javaBase = Object.class.getModule();
    Module runtime = Settings.class.getModule();
    if (instrumentation.isModifiableModule(javaBase)) {
      instrumentation.redefineModule(javaBase, Set.of(), Map.of(),
          Map.of("java.util.concurrent.locks", Set.of(runtime)), Set.of(), Map.of());
    }
  }

  /** A class that cannot be transformed is left as it was, and said once per class. */
  private static final class TransformErrors extends AgentBuilder.Listener.Adapter {
    @Override
    public void onDiscovery(String typeName, ClassLoader loader, JavaModule module,
        boolean loaded) {
      RETRANSFORMING.set(loaded);
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
        Throwable throwable) {
      System.err.println("lockguard: could not instrument " + typeName
          + "; its locks are not watched (" + throwable + ")");
    }
  }
}
