package dev.lockguard.agent.queue;

import dev.lockguard.agent.core.Getters;
import dev.lockguard.agent.core.ReceiverNames;
import java.util.Objects;
import org.objectweb.asm.tree.analysis.Value;

/**
 * A value on the stack or in a local, as the queue analysis sees it: where a reference came from,
 * and which check results a value was computed from.
 *
 * <p>{@code origin} names a reference's source so that two calls can be seen to use the same
 * queue: a parameter ({@code p1}), a field of another origin ({@code p0>com/acme/Pool.queue}), a
 * static field ({@code >com/acme/Pool.QUEUE}) or the instruction that made it ({@code n12}; for a
 * call without arguments, what it called: {@code n12:com/acme/Holder.getQueue()Ljava/util/Deque;}).
 * A merge of two origins has none. {@code checks} is a bit set of the method's check calls.
 */
final class FlowValue implements Value {
  static final FlowValue ONE = new FlowValue(1, null, 0L);
  static final FlowValue TWO = new FlowValue(2, null, 0L);

  final int size;
  final String origin;
  final long checks;

  private FlowValue(int size, String origin, long checks) {
    this.size = size;
    this.origin = origin;
    this.checks = checks;
  }

  static FlowValue of(int size, String origin, long checks) {
    if (origin == null && checks == 0L) {
      return size == 2 ? TWO : ONE;
    }
    return new FlowValue(size, origin, checks);
  }

  static FlowValue reference(String origin) {
    return of(1, origin, 0L);
  }

  /** The origin of field {@code owner.name} read from a value of origin {@code base}. */
  static String fieldOrigin(String base, String owner, String name) {
    return base + ">" + owner + "." + name;
  }

  /** The origin of the result of {@code call}, a call without arguments made at {@code made}. */
  static String getterOrigin(String made, String owner, String name, String descriptor) {
    return made + ":" + owner + "." + name + descriptor;
  }

  /**
   * {@code Pool.queue} for a field origin; for a getter's result, the field the getter returns or
   * else the getter ({@code Holder.getQueue()}), as locks are named ({@link
   * ReceiverNames#getterResult}); else null (a queue known only by its identity).
   */
  static String displayName(String origin, Getters getters) {
    if (origin == null) {
      return null;
    }
    int arrow = origin.lastIndexOf('>');
    if (arrow < 0) {
      return getterName(origin, getters);
    }
    String field = origin.substring(arrow + 1);
    int dot = field.lastIndexOf('.');
    return ReceiverNames.field(field.substring(0, dot), field.substring(dot + 1));
  }

  private static String getterName(String origin, Getters getters) {
    int colon = origin.indexOf(':');
    if (colon < 0) {
      return null;
    }
    int open = origin.indexOf('(', colon);
    int dot = origin.lastIndexOf('.', open);
    return ReceiverNames.getterResult(getters, origin.substring(colon + 1, dot),
        origin.substring(dot + 1, open), origin.substring(open));
  }

  FlowValue merge(FlowValue other) {
    if (equals(other)) {
      return this;
    }
    if (size != other.size) {
      return ONE;
    }
    String mergedOrigin = Objects.equals(origin, other.origin) ? origin : null;
    return of(size, mergedOrigin, checks | other.checks);
  }

  @Override
  public int getSize() {
    return size;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FlowValue value && size == value.size && checks == value.checks
        && Objects.equals(origin, value.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(size, origin, checks);
  }
}
