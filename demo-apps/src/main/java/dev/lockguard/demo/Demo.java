package dev.lockguard.demo;

import java.util.List;

/**
 * One demo: a name to run it by, a one-line summary, and its variants (one broken, one fixed at
 * least).
 */
public record Demo(String name, String summary, List<Variant> variants) {
  /** One way to run a demo, with what the agent says about it. */
  public record Variant(String name, String agentSays, Body body) {}

  /** A variant's code: runs it to the end within its own time bounds, or throws what ended it. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  /** The variant called {@code name}, or null. */
  Variant variant(String name) {
    for (Variant variant : variants) {
      if (variant.name().equals(name)) {
        return variant;
      }
    }
    return null;
  }

  /** The variants' names, for messages. */
  List<String> variantNames() {
    return variants.stream().map(Variant::name).toList();
  }
}
