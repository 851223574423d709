package dev.lockguard.agent.classinit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.ClassScan;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

/**
 * {@link InertInitializer} on javac's output: initializers that can start no other application
 * class's initialization are inert, and each way one can start another, directly or through
 * code it reaches, makes it not inert.
 */
class InertInitializerTests {
  /** Another application class, which the initializers below that are not inert reach. */
  public static final class Other {
    static final Object VALUE = new Object();

    static Object make() {
      return new Object();
    }
  }

  /** An enum of another class, for {@code EnumSet.allOf}. */
  public enum OtherLevel { LOW, HIGH }

  // Inert.

  public static final class Constants {
    static final List<String> NAMES = List.of("a", "b");
    static final Map<String, Integer> SIZES = new HashMap<>();
    static final long START = System.nanoTime();

    static {
      SIZES.put("a", NAMES.size());
    }
  }

  /** Strings and numbers, a constructor, a concatenation and an {@code EnumSet} of itself. */
  public enum Unit {
    SECOND("s", 1), MINUTE("min", 60);

    static final Set<Unit> ALL = EnumSet.allOf(Unit.class);
    final String symbol;
    final int seconds;

    Unit(String symbol, int seconds) {
      this.symbol = symbol;
      this.seconds = seconds;
    }

    String label() {
      return symbol + "=" + seconds + "s";
    }
  }

  /** An assertion ({@code desiredAssertionStatus}) and a private static helper. */
  public static final class Table {
    static final int[] SQUARES = squares(8);

    private static int[] squares(int size) {
      int[] squares = new int[size];
      for (int i = 0; i < size; i++) {
        squares[i] = i * i;
      }
      assert squares.length == size;
      return squares;
    }
  }

  /** A singleton whose methods, which JDK code may call on it, touch nothing. */
  public static final class Singleton {
    static final Singleton INSTANCE = new Singleton();
    static final Set<Singleton> ALL = new HashSet<>(List.of(INSTANCE));
    private final String name;

    private Singleton() {
      name = "one";
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Singleton singleton && singleton.name.equals(name);
    }
  }

  /** A lambda whose code, its own, JDK code runs while the initializer does. */
  public static final class PlainLambda {
    static final Map<String, List<String>> GROUPS = new HashMap<>();
    static final Supplier<String> NAME = String::new;

    static {
      GROUPS.computeIfAbsent("a", key -> new ArrayList<>()).add("b");
    }
  }

  /** A lock made, never taken. */
  public static final class MadeLock {
    static final ReentrantLock LOCK = new ReentrantLock();
  }

  // Not inert.

  public static final class MakesOther {
    static final Object OTHER = new Other();
  }

  public static final class ReadsOther {
    static final Object VALUE = Other.VALUE;
  }

  public static final class CallsOther {
    static final Object VALUE = Other.make();
  }

  /** {@code Class.forName} initializes the class it names. */
  public static final class LoadsByName {
    static final Class<?> TYPE;

    static {
      try {
        TYPE = Class.forName("java.lang.String");
      } catch (ClassNotFoundException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /** A service provider's class is initialized when it is loaded. */
  public static final class LoadsServices {
    static final ServiceLoader<Runnable> TASKS = ServiceLoader.load(Runnable.class);
  }

  /** A lambda's code may run while the initializer does: this one reaches another class. */
  public static final class LambdaTouches {
    static final Map<String, Object> VALUES = new HashMap<>();

    static {
      VALUES.computeIfAbsent("a", key -> Other.VALUE);
    }
  }

  /** A reference to another class's method. */
  public static final class ReferencesOther {
    static final Supplier<Object> MAKE = Other::make;
  }

  /** {@code EnumSet.allOf(OtherLevel.class)} initializes {@code OtherLevel}. */
  public static final class AllOfOther {
    static final Set<OtherLevel> ALL = EnumSet.allOf(OtherLevel.class);
  }

  /** The constructor the initializer calls touches another class. */
  public static final class ConstructorTouches {
    static final ConstructorTouches INSTANCE = new ConstructorTouches();
    final Object other;

    private ConstructorTouches() {
      other = Other.make();
    }
  }

  /** A set calls {@code hashCode}, which touches another class. */
  public static final class HashCodeTouches {
    static final Set<HashCodeTouches> ALL = new HashSet<>();

    static {
      ALL.add(new HashCodeTouches());
    }

    @Override
    public int hashCode() {
      return Other.VALUE.hashCode();
    }
  }

  /** A {@code synchronized} method, called by the initializer. */
  public static final class SynchronizedHelper {
    static final int SIZE = size();

    private static synchronized int size() {
      return 1;
    }
  }

  /** A monitor taken by the initializer. */
  public static final class TakesMonitor {
    static final Object LOCK = new Object();
    static int count;

    static {
      synchronized (LOCK) {
        count++;
      }
    }
  }

  /** {@code Lock.lock()} in the initializer. */
  public static final class TakesLock {
    static final ReentrantLock LOCK = new ReentrantLock();

    static {
      LOCK.lock();
      LOCK.unlock();
    }
  }

  /** A base whose static method a subclass's initializer calls. */
  public static class Base {
    static int helper() {
      return 1;
    }
  }

  /** An application interface with a field that is not a constant. */
  public interface Named {
    Object NAME = new Object();
  }

  /** Reads a field it inherits: javac names this class, and the JVM initializes {@code Named}. */
  public static final class ReadsInheritedField implements Named {
    static final Object MINE = NAME;
  }

  /** Calls a method it inherits from an application class: its code is {@code Base}'s. */
  public static final class CallsInherited extends Base {
    static final int VALUE = helper();
  }

  @Test
  void initializersThatStartNoOtherClassAreInert() throws IOException {
    for (Class<?> type : List.of(Constants.class, Unit.class, Table.class, Singleton.class,
        PlainLambda.class, MadeLock.class)) {
      assertThat(inert(type)).as(type.getSimpleName()).isTrue();
    }
  }

  @Test
  void eachWayToStartAnotherClassIsNotInert() throws IOException {
    List<String> inert = new ArrayList<>();
    for (Class<?> type : List.of(MakesOther.class, ReadsOther.class, CallsOther.class,
        LoadsByName.class, LoadsServices.class, LambdaTouches.class, ReferencesOther.class,
        AllOfOther.class,
        ConstructorTouches.class, HashCodeTouches.class, SynchronizedHelper.class,
        TakesMonitor.class, TakesLock.class, CallsInherited.class,
        ReadsInheritedField.class)) {
      if (inert(type)) {
        inert.add(type.getSimpleName());
      }
    }
    assertThat(inert).as("called inert").isEmpty();
  }

  @Test
  void theJdkClassesThatMayRunApplicationCodeAreNotPlain() {
    assertThat(InertInitializer.plainJdk("java/util/HashMap", "put")).isTrue();
    assertThat(InertInitializer.plainJdk("java/lang/String", "valueOf")).isTrue();
    assertThat(InertInitializer.plainJdk("java/lang/IllegalStateException", "<init>")).isTrue();
    assertThat(InertInitializer.plainJdk("java/lang/Class", "getName")).isTrue();
    assertThat(InertInitializer.plainJdk("java/lang/Class", "forName")).isFalse();
    assertThat(InertInitializer.plainJdk("java/lang/Thread", "start")).isFalse();
    assertThat(InertInitializer.plainJdk("java/util/ServiceLoader", "load")).isFalse();
    assertThat(InertInitializer.plainJdk("java/util/concurrent/Executors", "newFixedThreadPool"))
        .isFalse();
    assertThat(InertInitializer.plainJdk("java/util/logging/Logger", "getLogger")).isFalse();
    assertThat(InertInitializer.plainJdk("java/sql/DriverManager", "getDrivers")).isFalse();
    assertThat(InertInitializer.plainJdk("javax/naming/InitialContext", "<init>")).isFalse();
    assertThat(InertInitializer.plainJdk("com/acme/Util", "run")).isFalse();
  }

  private static boolean inert(Class<?> type) throws IOException {
    try (InputStream in = InertInitializerTests.class.getClassLoader()
        .getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      ClassReader reader = new ClassReader(in.readAllBytes());
      int code = ClassScan.codeOf(reader, "<clinit>");
      assertThat(code).as(type.getSimpleName() + " has an initializer").isPositive();
      return InertInitializer.test(reader, code);
    }
  }
}
