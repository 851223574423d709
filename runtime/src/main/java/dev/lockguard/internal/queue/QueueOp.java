package dev.lockguard.internal.queue;

/**
 * The queue methods the queue check knows: checks whose answer goes stale, acts that trust it, and
 * the timed variants that are the fix.
 *
 * <p>The agent classifies call sites with {@link #of(String, String)} when it transforms a class;
 * the runtime reads a registered site's op to word its finding. Names and descriptors are those of
 * {@code java.util.Queue}, {@code Deque}, {@code BlockingQueue} and {@code BlockingDeque}; an
 * application queue that specialises an element type (say {@code take()} returning {@code Task})
 * matches by name and shape.
 */
public enum QueueOp {
  SIZE("size", Kind.CHECK, Shape.INT),
  IS_EMPTY("isEmpty", Kind.CHECK, Shape.BOOLEAN),
  REMAINING_CAPACITY("remainingCapacity", Kind.CHECK, Shape.INT),
  PEEK("peek", Kind.CHECK, Shape.ELEMENT),
  PEEK_FIRST("peekFirst", Kind.CHECK, Shape.ELEMENT),
  PEEK_LAST("peekLast", Kind.CHECK, Shape.ELEMENT),

  TAKE("take", Kind.CONSUME, Shape.ELEMENT),
  TAKE_FIRST("takeFirst", Kind.CONSUME, Shape.ELEMENT),
  TAKE_LAST("takeLast", Kind.CONSUME, Shape.ELEMENT),
  POLL("poll", Kind.CONSUME, Shape.ELEMENT),
  POLL_FIRST("pollFirst", Kind.CONSUME, Shape.ELEMENT),
  POLL_LAST("pollLast", Kind.CONSUME, Shape.ELEMENT),
  REMOVE("remove", Kind.CONSUME, Shape.ELEMENT),
  REMOVE_FIRST("removeFirst", Kind.CONSUME, Shape.ELEMENT),
  REMOVE_LAST("removeLast", Kind.CONSUME, Shape.ELEMENT),
  POP("pop", Kind.CONSUME, Shape.ELEMENT),
  ELEMENT("element", Kind.CONSUME, Shape.ELEMENT),
  GET_FIRST("getFirst", Kind.CONSUME, Shape.ELEMENT),
  GET_LAST("getLast", Kind.CONSUME, Shape.ELEMENT),

  PUT("put", Kind.PRODUCE, Shape.VOID),
  PUT_FIRST("putFirst", Kind.PRODUCE, Shape.VOID),
  PUT_LAST("putLast", Kind.PRODUCE, Shape.VOID),
  ADD_FIRST("addFirst", Kind.PRODUCE, Shape.VOID),
  ADD_LAST("addLast", Kind.PRODUCE, Shape.VOID),
  PUSH("push", Kind.PRODUCE, Shape.VOID),
  OFFER("offer", Kind.PRODUCE, Shape.BOOLEAN),
  OFFER_FIRST("offerFirst", Kind.PRODUCE, Shape.BOOLEAN),
  OFFER_LAST("offerLast", Kind.PRODUCE, Shape.BOOLEAN),
  ADD("add", Kind.PRODUCE, Shape.BOOLEAN),

  /** {@code poll(timeout)} and {@code offer(e, timeout)}: they answer, so nothing is trusted. */
  TIMED("poll/offer with a timeout", Kind.TIMED, Shape.ELEMENT);

  /** What a call does with the queue. */
  public enum Kind {
    /** Asks for the size, emptiness, free room or head: the answer is stale when it returns. */
    CHECK,
    /** Needs an element: another thread removing one in between invalidates the check. */
    CONSUME,
    /** Needs room: another thread adding one in between invalidates the check. */
    PRODUCE,
    /** Waits at most a timeout and says whether it worked: the safe form. */
    TIMED
  }

  /** What the call returns, which tells the agent how to read its outcome. */
  public enum Shape {
    INT,
    BOOLEAN,
    ELEMENT,
    VOID
  }

  private static final QueueOp[] VALUES = values();

  public final String methodName;
  public final Kind kind;
  public final Shape shape;

  QueueOp(String methodName, Kind kind, Shape shape) {
    this.methodName = methodName;
    this.kind = kind;
    this.shape = shape;
  }

  /** Whether the call is an act, that is one a check can decide. */
  public boolean isAct() {
    return kind == Kind.CONSUME || kind == Kind.PRODUCE;
  }

  /** {@code take}/{@code put} and their deque forms wait for ever if the check went stale. */
  public boolean blocks() {
    return this == TAKE || this == TAKE_FIRST || this == TAKE_LAST
        || this == PUT || this == PUT_FIRST || this == PUT_LAST;
  }

  /** Whether the act changes the queue when it returns normally (element and get* only look). */
  public boolean changes() {
    return isAct() && this != ELEMENT && this != GET_FIRST && this != GET_LAST;
  }

  /** Whether a null result means the act found nothing and changed nothing ({@code poll*}). */
  public boolean nullMeansNothing() {
    return this == POLL || this == POLL_FIRST || this == POLL_LAST;
  }

  /** The call as a message shows it: {@code take()}, {@code put(e)}. */
  public String display() {
    return methodName + (kind == Kind.PRODUCE ? "(e)" : "()");
  }

  /**
   * The op of a call to {@code name} with {@code descriptor} on a queue, or null when the call is
   * none of these (for example {@code remove(Object)}, which removes a given element).
   */
  public static QueueOp of(String name, String descriptor) {
    if (isTimed(name, descriptor)) {
      return TIMED;
    }
    for (QueueOp op : VALUES) {
      if (op != TIMED && op.methodName.equals(name) && op.matches(descriptor)) {
        return op;
      }
    }
    return null;
  }

  private boolean matches(String descriptor) {
    return switch (shape) {
      case INT -> descriptor.equals("()I");
      case BOOLEAN -> kind == Kind.CHECK ? descriptor.equals("()Z") : oneReference(descriptor, 'Z');
      case ELEMENT -> descriptor.startsWith("()") && isReference(descriptor.charAt(2));
      case VOID -> oneReference(descriptor, 'V');
    };
  }

  /** {@code (Lsome/Type;)R} or {@code ([X)R}: one reference argument, returning {@code result}. */
  private static boolean oneReference(String descriptor, char result) {
    int close = descriptor.indexOf(')');
    if (close < 0 || close != descriptor.length() - 2 || descriptor.charAt(close + 1) != result) {
      return false;
    }
    return isOneReference(descriptor.substring(1, close));
  }

  /** Whether a descriptor's argument list is exactly one object or array type. */
  private static boolean isOneReference(String arguments) {
    String element = arguments;
    while (element.startsWith("[")) {
      element = element.substring(1);
    }
    if (element.startsWith("L")) {
      return element.indexOf(';') == element.length() - 1;
    }
    return element.length() == 1 && element.length() < arguments.length(); // an array of primitives
  }

  private static boolean isReference(char descriptorStart) {
    return descriptorStart == 'L' || descriptorStart == '[';
  }

  private static boolean isTimed(String name, String descriptor) {
    return switch (name) {
      case "poll", "pollFirst", "pollLast" ->
          descriptor.startsWith("(JLjava/util/concurrent/TimeUnit;)");
      case "offer", "offerFirst", "offerLast" ->
          descriptor.endsWith(";JLjava/util/concurrent/TimeUnit;)Z");
      default -> false;
    };
  }
}
