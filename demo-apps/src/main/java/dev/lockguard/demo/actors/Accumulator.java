package dev.lockguard.demo.actors;

/**
 * A tagged actor that keeps a running total: {@code add} adds its payload, {@code total} sends
 * the total to the {@link Result} in its payload. The total is confined to the actor's thread.
 */
final class Accumulator extends TaggedActor {
  private long total;

  Accumulator(String name) {
    super(name);
  }

  @Override
  @SuppressWarnings("unchecked") // the "total" tag always carries a Result<Long>
  protected void dispatch(String tag, Object payload) {
    switch (tag) {
      case "add" -> total += (Long) payload;
      case "total" -> ((Result<Long>) payload).set(total);
      default -> throw new IllegalArgumentException("Accumulator has no handler for tag \"" + tag + "\"");
    }
  }
}
