package dev.lockguard.internal.lockorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.LockOrderViolationException;
import dev.lockguard.internal.FreshRuntime;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Confirmation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Steering driven through {@link Hooks}, with a finding written as an earlier run would have
 * reported it: edges whose "held at" and "acquired at" frames are the registered sites.
 */
class SteeringTests {
  @RegisterExtension final FreshRuntime runtime = new FreshRuntime();

  private final int forwardOuter = Sites.register("app.Transfer", "forward", "Transfer.java", 10, null);
  private final int forwardInner = Sites.register("app.Transfer", "forward", "Transfer.java", 11, null);
  private final int backwardOuter = Sites.register("app.Transfer", "backward", "Transfer.java", 20, null);
  private final int backwardInner = Sites.register("app.Transfer", "backward", "Transfer.java", 21, null);
  private final List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stopped = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void disarm() {
    Steering.disarm();
  }

  @Test
  void threadsHeldBackAtBothEdgesAreAConfirmedDeadlockAndOneOfThemIsStopped() throws Exception {
    Violation predicted = predicted();
    Steering.arm(List.of(predicted), 10_000, 2);
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    CountDownLatch go = new CountDownLatch(1);
    Thread forward = thread("forward", go, a, forwardOuter, b, forwardInner);
    Thread backward = thread("backward", go, b, backwardOuter, a, backwardInner);
    go.countDown();
    forward.join(20_000);
    backward.join(20_000);

    assertThat(forward.isAlive() || backward.isAlive()).as("nobody hangs").isFalse();
    assertThat(thrown).as("exactly one thread stopped before it blocked").hasSize(1);
    assertThat(thrown.get(0)).isInstanceOf(LockOrderViolationException.class)
        .hasMessageStartingWith("lockguard: CONFIRMED deadlock [" + predicted.id() + "]: thread \"")
        .hasMessageContaining("holds ")
        .hasMessageEndingWith("Every one of them was about to block for ever; lockguard stopped"
            + " thread \"" + stopped.get(0) + "\" instead.");
    List<Steering.Result> results = Steering.disarm();
    assertThat(results).singleElement().satisfies(result -> {
      assertThat(result.confirmed()).isTrue();
      assertThat(result.edgesReached()).isEqualTo(2);
    });
    Violation confirmed = runtime.recorded().stream()
        .filter(v -> v.id().equals(predicted.id())).findFirst().orElseThrow();
    Confirmation confirmation = confirmed.confirmation();
    assertThat(confirmation.status()).isEqualTo(Confirmation.Status.CONFIRMED);
    assertThat(confirmation.attempts()).isEqualTo(2);
    assertThat(confirmation.edgesReached()).isEqualTo(2);
    assertThat(confirmation.edgesInCycle()).isEqualTo(2);
    assertThat(confirmation.witness()).extracting(Confirmation.Witness::thread)
        .containsExactlyInAnyOrder("forward", "backward");
    for (Confirmation.Witness witness : confirmation.witness()) {
      // each holds the lock the other wants: a and b are named after their identity here
      assertThat(witness.held()).isNotEqualTo(witness.wanted());
      assertThat(witness.stack()).isNotEmpty();
    }
    assertThat(confirmation.witness().get(0).held())
        .isEqualTo(confirmation.witness().get(1).wanted());
  }

  @Test
  void pathsOrderedByJoinAreNotReproducedAndEachThreadIsHeldBackOnlyBriefly() throws Exception {
    Violation predicted = predicted();
    Steering.arm(List.of(predicted), 200, 1);
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    CountDownLatch go = new CountDownLatch(0);
    thread("forward", go, a, forwardOuter, b, forwardInner).join();
    thread("backward", go, b, backwardOuter, a, backwardInner).join();

    assertThat(thrown).isEmpty();
    Steering.Result result = Steering.disarm().get(0);
    assertThat(result.confirmed()).isFalse();
    assertThat(result.edgesReached()).as("one edge at a time").isEqualTo(1);
    Violation outcome = Steering.notReproduced(predicted, 3, result.edgesReached());
    assertThat(outcome.confirmation()).isEqualTo(new Confirmation(
        Confirmation.Status.NOT_REPRODUCED, 3, 1, 2, List.of()));
    assertThat(runtime.recorded()).contains(outcome);
  }

  @Test
  void aCycleUnderAGateLockIsNotReproduced() throws Exception {
    Violation predicted = predicted();
    Steering.arm(List.of(predicted), 300, 1);
    ReentrantLock gate = new ReentrantLock();
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    int gateSite = Sites.register("app.Transfer", "gated", "Transfer.java", 30, null);
    CountDownLatch go = new CountDownLatch(1);
    Thread forward = gated("forward", go, gate, gateSite, a, forwardOuter, b, forwardInner);
    Thread backward = gated("backward", go, gate, gateSite, b, backwardOuter, a, backwardInner);
    go.countDown();
    forward.join();
    backward.join();

    assertThat(thrown).isEmpty();
    Steering.Result result = Steering.disarm().get(0);
    assertThat(result.confirmed()).isFalse();
    assertThat(result.edgesReached()).isEqualTo(1);
  }

  @Test
  void unarmedSteeringHoldsNobodyBack() throws Exception {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    CountDownLatch go = new CountDownLatch(0);
    thread("forward", go, a, forwardOuter, b, forwardInner).join();
    assertThat(Steering.active).isFalse();
    assertThat(Steering.disarm()).isEmpty();
  }

  @Test
  void reportFramesAreMatchedByClassMethodAndLine() {
    assertThat(Steering.siteKey("app.Transfer.forward(Transfer.java:11)"))
        .isEqualTo("app.Transfer.forward:11");
    assertThat(Steering.siteKey("app//app.Transfer.forward(Transfer.java:11)"))
        .isEqualTo("app.Transfer.forward:11");
    assertThat(Steering.siteKey("java.base@17.0.15/java.util.Vector.add(Vector.java:9)"))
        .isEqualTo("java.util.Vector.add:9");
    assertThat(Steering.siteKey("app.Transfer.forward(Transfer.java)"))
        .isEqualTo("app.Transfer.forward:0");
  }

  /** The finding an earlier run reported for forward (a then b) and backward (b then a). */
  private Violation predicted() {
    EdgeRef ab = new EdgeRef("a", "b", "t1", List.of(frame(forwardOuter)),
        List.of(frame(forwardInner)));
    EdgeRef ba = new EdgeRef("b", "a", "t2", List.of(frame(backwardOuter)),
        List.of(frame(backwardInner)));
    return new Violation("feedbeef00000001", Kind.POTENTIAL_DEADLOCK, Severity.ERROR,
        "Lock-order cycle a -> b -> a", List.of("t1", "t2"),
        List.of(new Violation.LockRef("a", "ReentrantLock"),
            new Violation.LockRef("b", "ReentrantLock")),
        List.of(ab, ba), List.of(frame(forwardInner), frame(backwardInner)));
  }

  private static String frame(int site) {
    return Sites.get(site).toString();
  }

  private Thread thread(String name, CountDownLatch go, ReentrantLock outer, int outerSite,
      ReentrantLock inner, int innerSite) {
    Thread thread = new Thread(() -> {
      await(go);
      nest(outer, outerSite, inner, innerSite);
    }, name);
    thread.start();
    return thread;
  }

  private Thread gated(String name, CountDownLatch go, ReentrantLock gate, int gateSite,
      ReentrantLock outer, int outerSite, ReentrantLock inner, int innerSite) {
    Thread thread = new Thread(() -> {
      await(go);
      Hooks.lock(gate, gateSite);
      try {
        nest(outer, outerSite, inner, innerSite);
      } finally {
        Hooks.unlock(gate, gateSite);
      }
    }, name);
    thread.start();
    return thread;
  }

  private void nest(ReentrantLock outer, int outerSite, ReentrantLock inner, int innerSite) {
    try {
      Hooks.lock(outer, outerSite);
      try {
        Hooks.lock(inner, innerSite);
        Hooks.unlock(inner, innerSite);
      } finally {
        Hooks.unlock(outer, outerSite);
      }
    } catch (LockOrderViolationException stoppedHere) {
      thrown.add(stoppedHere);
      stopped.add(Thread.currentThread().getName());
    }
  }

  private static void await(CountDownLatch go) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
