package dev.lockguard.demo.actors;

/**
 * The recipe's tagged-message actor: each message is a {@link Message} whose tag picks the
 * handler, the way {@code do_<tag>} methods are picked in the recipe.
 */
abstract class TaggedActor extends Actor {
  /** A message: the tag that picks a handler, and its payload. */
  record Message(String tag, Object payload) {}

  TaggedActor(String name) {
    super(name);
  }

  /** Sends {@code payload} tagged {@code tag}. */
  void send(String tag, Object payload) throws InterruptedException {
    send(new Message(tag, payload));
  }

  @Override
  protected void run() throws InterruptedException, ActorExit {
    while (true) {
      Message message = (Message) recv();
      dispatch(message.tag(), message.payload());
    }
  }

  /** Handles one message; an unknown tag is a bug in the sender. */
  protected abstract void dispatch(String tag, Object payload);
}
