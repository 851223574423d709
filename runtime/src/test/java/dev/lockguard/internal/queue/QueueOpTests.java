package dev.lockguard.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the agent classifies queue calls by name and descriptor. */
class QueueOpTests {
  @Test
  void checksOfTheJdkInterfaces() {
    assertThat(QueueOp.of("size", "()I")).isEqualTo(QueueOp.SIZE);
    assertThat(QueueOp.of("isEmpty", "()Z")).isEqualTo(QueueOp.IS_EMPTY);
    assertThat(QueueOp.of("remainingCapacity", "()I")).isEqualTo(QueueOp.REMAINING_CAPACITY);
    assertThat(QueueOp.of("peek", "()Ljava/lang/Object;")).isEqualTo(QueueOp.PEEK);
    assertThat(QueueOp.of("peekLast", "()Ljava/lang/Object;")).isEqualTo(QueueOp.PEEK_LAST);
  }

  @Test
  void actsOfTheJdkInterfaces() {
    assertThat(QueueOp.of("take", "()Ljava/lang/Object;")).isEqualTo(QueueOp.TAKE);
    assertThat(QueueOp.of("put", "(Ljava/lang/Object;)V")).isEqualTo(QueueOp.PUT);
    assertThat(QueueOp.of("offer", "(Ljava/lang/Object;)Z")).isEqualTo(QueueOp.OFFER);
    assertThat(QueueOp.of("add", "(Ljava/lang/Object;)Z")).isEqualTo(QueueOp.ADD);
    assertThat(QueueOp.of("remove", "()Ljava/lang/Object;")).isEqualTo(QueueOp.REMOVE);
    assertThat(QueueOp.of("element", "()Ljava/lang/Object;")).isEqualTo(QueueOp.ELEMENT);
    assertThat(QueueOp.of("push", "(Ljava/lang/Object;)V")).isEqualTo(QueueOp.PUSH);
  }

  @Test
  void specialisedElementTypesMatchByShape() {
    assertThat(QueueOp.of("take", "()Lcom/acme/Task;")).isEqualTo(QueueOp.TAKE);
    assertThat(QueueOp.of("offer", "(Lcom/acme/Task;)Z")).isEqualTo(QueueOp.OFFER);
    assertThat(QueueOp.of("add", "([I)Z")).isEqualTo(QueueOp.ADD);
    assertThat(QueueOp.of("put", "([[Ljava/lang/String;)V")).isEqualTo(QueueOp.PUT);
  }

  @Test
  void timedFormsAreTheFix() {
    assertThat(QueueOp.of("poll", "(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;"))
        .isEqualTo(QueueOp.TIMED);
    assertThat(QueueOp.of("offer", "(Ljava/lang/Object;JLjava/util/concurrent/TimeUnit;)Z"))
        .isEqualTo(QueueOp.TIMED);
    assertThat(QueueOp.TIMED.isAct()).isFalse();
  }

  @Test
  void otherCallsAreNone() {
    assertThat(QueueOp.of("remove", "(Ljava/lang/Object;)Z")).isNull();
    assertThat(QueueOp.of("put", "(I)V")).isNull();
    assertThat(QueueOp.of("put", "(Ljava/lang/Object;Ljava/lang/Object;)V")).isNull();
    assertThat(QueueOp.of("size", "()J")).isNull();
    assertThat(QueueOp.of("take", "()I")).isNull();
    assertThat(QueueOp.of("contains", "(Ljava/lang/Object;)Z")).isNull();
  }

  @Test
  void whatEachActDoes() {
    assertThat(QueueOp.TAKE.blocks()).isTrue();
    assertThat(QueueOp.PUT_LAST.blocks()).isTrue();
    assertThat(QueueOp.POLL.blocks()).isFalse();
    assertThat(QueueOp.ELEMENT.changes()).isFalse();
    assertThat(QueueOp.POLL.nullMeansNothing()).isTrue();
    assertThat(QueueOp.OFFER.kind).isEqualTo(QueueOp.Kind.PRODUCE);
    assertThat(QueueOp.PUT.display()).isEqualTo("put(e)");
    assertThat(QueueOp.TAKE.display()).isEqualTo("take()");
  }
}
