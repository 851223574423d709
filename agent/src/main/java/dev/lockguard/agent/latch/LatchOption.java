package dev.lockguard.agent.latch;

import dev.lockguard.agent.core.ClassFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code latches=} option: application classes to watch like {@code dev.lockguard.Event}.
 *
 * <p>Entries are separated by {@code ;}; each names a class and, in parentheses, its methods by
 * role: {@code set} opens it, {@code clear} re-arms it, {@code await} waits for it. A role may
 * name several methods with {@code |}; {@code clear} may be left out:
 * {@code latches=com.acme.Signal(set=fire,clear=reset,await=waitFor|waitForMillis)}.
 */
public final class LatchOption {
  public static final String EXAMPLE = "latches=com.acme.Signal(set=fire,clear=reset,await=waitFor)";

  private static final Pattern ENTRY = Pattern.compile("([^()]*)\\((.*)\\)");
  private static final Pattern CLASS_NAME =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final Pattern METHOD_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
  private static final List<String> ROLES = List.of("set", "clear", "await");

  private LatchOption() {}

  /** What a method does to the latch: opens it, re-arms it, or waits for it. */
  public enum Role {
    SET,
    CLEAR,
    AWAIT
  }

  /** One class to watch, with its methods by role. */
  public record Spec(String className, Set<String> set, Set<String> clear, Set<String> await) {
    public String internalName() {
      return className.replace('.', '/');
    }

    /** The role of a method of the class, or null for a method with none. */
    public Role roleOf(String method) {
      if (set.contains(method)) {
        return Role.SET;
      }
      if (clear.contains(method)) {
        return Role.CLEAR;
      }
      return await.contains(method) ? Role.AWAIT : null;
    }
  }

  /**
   * Parses the option's value.
   *
   * @throws IllegalArgumentException naming the bad entry, the problem and the syntax
   */
  public static List<Spec> parse(String value) {
    List<Spec> specs = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return specs;
    }
    Set<String> classes = new LinkedHashSet<>();
    for (String raw : value.split(";", -1)) {
      String entry = raw.trim();
      Spec spec = entry(entry);
      if (!classes.add(spec.className())) {
        throw bad(entry, "the class is named twice; give each class one entry");
      }
      specs.add(spec);
    }
    return specs;
  }

  /**
   * Checks the classes of {@code specs} against what the agent instruments: a class it never
   * transforms (the JDK's, lockguard's, or one that {@code include}/{@code exclude} leave out)
   * would never be watched, so it is an error; a name that looks like a nested class written with
   * dots ({@code Outer.Nested}, which the JVM calls {@code Outer$Nested}) gets a warning.
   *
   * @return warnings for the user, one line each
   * @throws IllegalArgumentException naming the class and why it cannot be watched
   */
  public static List<String> check(List<Spec> specs, List<String> include, List<String> exclude) {
    ClassFilter filter = new ClassFilter(include, exclude, Set.of());
    List<String> warnings = new ArrayList<>();
    for (Spec spec : specs) {
      String name = spec.className();
      if (!filter.instrument(name, LatchOption.class.getClassLoader())) {
        throw new IllegalArgumentException("option \"latches\" names " + name + ", which the"
            + " agent does not instrument (" + (name.startsWith("java.") || name.startsWith("jdk.")
            || name.startsWith("sun.") ? "a JDK class" : name.startsWith("dev.lockguard.")
            ? "lockguard's own class" : "left out by include= or exclude=") + "), so it would"
            + " never be watched. Name an application class of your own that the agent"
            + " instruments; CountDownLatch, CyclicBarrier, Phaser and dev.lockguard.Event are"
            + " watched without this option.");
      }
      String nested = dottedNested(name);
      if (nested != null) {
        warnings.add("option \"latches\" names " + name + ": if " + nested + " is a nested"
            + " class, write it with $ (" + name.substring(0, name.length() - nested.length() - 1)
            + "$" + nested + "), as the JVM names it; a class named with dots is never found.");
      }
    }
    return warnings;
  }

  /** The last segment of {@code name} if the segment before it looks like a class (capitalized). */
  private static String dottedNested(String name) {
    int last = name.lastIndexOf('.');
    int before = name.lastIndexOf('.', last - 1);
    if (last < 0 || !Character.isUpperCase(name.charAt(before + 1))) {
      return null;
    }
    return name.substring(last + 1);
  }

  private static Spec entry(String entry) {
    Matcher matcher = ENTRY.matcher(entry);
    if (!matcher.matches()) {
      throw bad(entry, "name the class, then its methods in parentheses");
    }
    String className = matcher.group(1).trim();
    if (!CLASS_NAME.matcher(className).matches()) {
      throw bad(entry, "\"" + className + "\" is not a class name (use its binary name, with $"
          + " for a nested class)");
    }
    Map<String, Set<String>> roles = roles(entry, matcher.group(2));
    for (String required : List.of("set", "await")) {
      if (!roles.containsKey(required)) {
        throw bad(entry, "it names no " + required + " method");
      }
    }
    return new Spec(className, roles.get("set"), roles.getOrDefault("clear", Set.of()),
        roles.get("await"));
  }

  private static Map<String, Set<String>> roles(String entry, String body) {
    Map<String, Set<String>> roles = new LinkedHashMap<>();
    for (String raw : body.split(",", -1)) {
      String pair = raw.trim();
      int equals = pair.indexOf('=');
      String role = equals < 0 ? pair : pair.substring(0, equals).trim();
      if (!ROLES.contains(role)) {
        throw bad(entry, "\"" + pair + "\" is not ROLE=METHOD with a role among set, clear,"
            + " await");
      }
      if (equals < 0) {
        throw bad(entry, "the role " + role + " names no method");
      }
      if (roles.containsKey(role)) {
        throw bad(entry, "the role " + role + " is given twice; list its methods as"
            + " " + role + "=a|b");
      }
      Set<String> methods = methods(entry, role, pair.substring(equals + 1));
      for (Map.Entry<String, Set<String>> earlier : roles.entrySet()) {
        for (String method : methods) {
          if (earlier.getValue().contains(method)) {
            throw bad(entry, "the method " + method + " has two roles, " + earlier.getKey()
                + " and " + role);
          }
        }
      }
      roles.put(role, methods);
    }
    return roles;
  }

  private static Set<String> methods(String entry, String role, String list) {
    Set<String> methods = new LinkedHashSet<>();
    for (String raw : list.split("\\|", -1)) {
      String method = raw.trim();
      if (!METHOD_NAME.matcher(method).matches()) {
        throw bad(entry, "\"" + method + "\" is not a method name (role " + role + ")");
      }
      methods.add(method);
    }
    return methods;
  }

  private static IllegalArgumentException bad(String entry, String problem) {
    return new IllegalArgumentException("option \"latches\" has the bad entry \"" + entry + "\": "
        + problem + ". Write CLASS(set=METHOD,clear=METHOD,await=METHOD) entries separated by"
        + " ';', for example " + EXAMPLE + ".");
  }
}
