package dev.lockguard.agent.latch;

import dev.lockguard.agent.core.ClassScan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;

/**
 * The types the latch instrumentation watches: the JDK's {@code CountDownLatch},
 * {@code CyclicBarrier} and {@code Phaser}, lockguard's {@code Event}, and the classes named by
 * {@code latches=}. Types match by exact name: a field declared as a subclass is not watched.
 */
public final class LatchTypes {
  static final String COUNT_DOWN_LATCH = "java/util/concurrent/CountDownLatch";
  static final String CYCLIC_BARRIER = "java/util/concurrent/CyclicBarrier";
  static final String PHASER = "java/util/concurrent/Phaser";
  static final String EVENT = "dev/lockguard/Event";
  /** The runtime class the latch instrumentation calls. */
  static final String HOOKS = "dev/lockguard/internal/latch/LatchHooks";
  static final String OBJECT = "Ljava/lang/Object;";

  private static final Set<String> EVENT_METHODS = Set.of("set", "clear", "await");

  private final Map<String, LatchOption.Spec> userLatches = new HashMap<>();
  /** Every watched type's internal name. */
  private final ClassScan.Names watched;
  /** Every watched type as a field descriptor ({@code Lname;}). */
  private final ClassScan.Names watchedFields;

  public LatchTypes(List<LatchOption.Spec> specs) {
    List<String> names = new ArrayList<>(List.of(COUNT_DOWN_LATCH, CYCLIC_BARRIER, PHASER, EVENT));
    for (LatchOption.Spec spec : specs) {
      userLatches.put(spec.internalName(), spec);
      names.add(spec.internalName());
    }
    this.watched = ClassScan.Names.of(names);
    List<String> descriptors = new ArrayList<>(names.size());
    for (String name : names) {
      descriptors.add("L" + name + ";");
    }
    this.watchedFields = ClassScan.Names.of(descriptors);
  }

  /** Whether a field of this descriptor holds a latch. */
  boolean isLatchDescriptor(String descriptor) {
    return descriptor.length() > 2 && descriptor.charAt(0) == 'L'
        && isLatchType(descriptor.substring(1, descriptor.length() - 1));
  }

  private boolean isLatchType(String internalName) {
    return internalName.equals(COUNT_DOWN_LATCH) || internalName.equals(CYCLIC_BARRIER)
        || internalName.equals(PHASER) || internalName.equals(EVENT)
        || userLatches.containsKey(internalName);
  }

  /** Whether a call is a set, clear or await of an event: its site is announced to the runtime. */
  boolean isEventCall(String owner, String name) {
    if (owner.equals(EVENT)) {
      return EVENT_METHODS.contains(name);
    }
    LatchOption.Spec spec = userLatches.get(owner);
    return spec != null && spec.roleOf(name) != null;
  }

  /**
   * Whether the latch instrumentation may have anything to do in the class {@code reader} reads:
   * it is named by {@code latches=}, or it has a class entry of a latch type (every call the
   * rewriter hooks names the latch type as its owner) or refers to a field of a latch type (every
   * store it hooks does). A latch type only in a method's descriptor (a latch passed along) is
   * no site.
   */
  boolean mayConcern(ClassReader reader) {
    if (!userLatches.isEmpty() && userLatches.containsKey(reader.getClassName())) {
      return true;
    }
    return ClassScan.usesType(reader, watched, watchedFields);
  }

  /** The {@code latches=} entry for a class, or null. */
  LatchOption.Spec userLatch(String internalName) {
    return userLatches.get(internalName);
  }
}
