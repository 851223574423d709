package dev.lockguard.demo.pubsub;

import java.util.HashMap;
import java.util.Map;

/** Exchanges looked up by name, made on first use (the recipe's {@code get_exchange}). */
final class Exchanges {
  private static final Map<String, Exchange> BY_NAME = new HashMap<>();

  private Exchanges() {}

  static synchronized Exchange get(String name) {
    return BY_NAME.computeIfAbsent(name, unused -> new Exchange());
  }
}
