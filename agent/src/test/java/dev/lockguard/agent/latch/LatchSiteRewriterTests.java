package dev.lockguard.agent.latch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.Rewritten;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The latch rewriters on {@link LatchSites} and, as a {@code latches=} class, {@link Gate},
 * in-process: the rewritten classes pass ASM's verifier and the JVM's, their hook calls stand
 * where they should, each site is named after the latch's field, and run against the runtime the
 * hooks make the latch calls they replace.
 */
class LatchSiteRewriterTests {
  private static final String FIELD_INIT = "LatchHooks.fieldInit(Ljava/lang/Object;I)V";
  private static final String FIELD_STORE =
      "LatchHooks.fieldStore(Ljava/lang/Object;Ljava/lang/Object;I)V";
  private static final String CALL_SITE = "LatchHooks.callSite(I)V";

  private static Rewritten sites;
  private static Rewritten gate;

  @BeforeAll
  static void rewrite() throws Exception {
    LatchTypes types = new LatchTypes(
        LatchOption.parse(Gate.class.getName() + "(set=open,clear=close,await=pass)"));
    sites = Rewritten.by(LatchSites.class, LatchClassVisitor.rewriter(types)).verified();
    gate = Rewritten.by(Gate.class, LatchClassVisitor.rewriter(types)).verified();
  }

  @Test
  void callsOnlyTheLatchHooks() {
    assertThat(sites.hookOwners()).containsExactly("dev/lockguard/internal/latch/LatchHooks");
    assertThat(gate.hookOwners()).containsExactly("dev/lockguard/internal/latch/LatchHooks");
  }

  @Test
  void latchFieldsReportWhatIsStoredInThem() throws Exception {
    assertThat(sites.trace("<init>")).containsExactly(
        "Object.<init>",
        "CountDownLatch.<init>", FIELD_INIT + " @ LatchSites.done",
        "Event.<init>", FIELD_INIT + " @ LatchSites.ready",
        "Gate.<init>", FIELD_INIT + " @ LatchSites.gate",
        "return");
    assertThat(sites.trace("rearm")).containsExactly(
        "CountDownLatch.<init>", FIELD_STORE + " @ LatchSites.done", "return");
    assertThat(sites.trace("<clinit>")).containsExactly(
        "CyclicBarrier.<init>", FIELD_STORE + " @ LatchSites.round", "return");

    Object instance = sites.newInstance();
    sites.call(instance, "finish");
    assertThat(sites.call(instance, "awaitDone", 1L)).as("the latch opened").isEqualTo(true);
    sites.call(instance, "rearm");
    assertThat(sites.call(instance, "awaitDone", 1L)).as("a new, closed latch").isEqualTo(false);
  }

  @Test
  void latchCallsBecomeHooksNamedAfterTheField() throws Exception {
    assertThat(sites.trace("awaitDone")).containsExactly(
        "LatchHooks.await(Ljava/util/concurrent/CountDownLatch;JLjava/util/concurrent/TimeUnit;I)Z"
            + " @ LatchSites.done",
        "return");
    assertThat(sites.trace("finish")).containsExactly(
        "LatchHooks.countDown(Ljava/util/concurrent/CountDownLatch;I)V @ LatchSites.done",
        "return");
    assertThat(sites.trace("nextRound")).containsExactly(
        "LatchHooks.await(Ljava/util/concurrent/CyclicBarrier;I)I @ LatchSites.round", "return");

    assertThat(sites.call(null, "nextRound")).as("the only party arrived").isEqualTo(0);
  }

  @Test
  void eventCallsAnnounceTheirSite() throws Exception {
    assertThat(sites.trace("signal")).containsExactly(
        CALL_SITE + " @ LatchSites.ready", "Event.set", "Event.isSet", "return");
    assertThat(sites.trace("openGate")).containsExactly(
        CALL_SITE + " @ LatchSites.gate", "Gate.open",
        CALL_SITE + " @ LatchSites.gate", "Gate.pass",
        "return");

    Object instance = sites.newInstance();
    assertThat(sites.call(instance, "signal")).isEqualTo(true);
    assertThat(sites.call(instance, "openGate")).isEqualTo(true);
  }

  @Test
  void latchesClassReportsItsSetClearAndAwait() throws Exception {
    assertThat(gate.trace("open")).containsExactly(
        "Object.notifyAll", "LatchHooks.eventSet(Ljava/lang/Object;)V", "return");
    assertThat(gate.trace("close")).containsExactly(
        "LatchHooks.eventCleared(Ljava/lang/Object;)V", "return");
    assertThat(gate.trace("pass")).containsExactly(
        "LatchHooks.eventAwaitEnter(Ljava/lang/Object;)V",
        "Object.wait",
        "LatchHooks.eventAwaitExit(ZLjava/lang/Object;)V", "return",
        "LatchHooks.eventAwaitExit(Ljava/lang/Object;Z)V", "athrow");

    Object instance = gate.newInstance();
    assertThat(gate.call(instance, "pass", 1L)).as("closed: timed out").isEqualTo(false);
    gate.call(instance, "open");
    assertThat(gate.call(instance, "pass", 1L)).isEqualTo(true);
    gate.call(instance, "close");
    assertThat(gate.call(instance, "pass", 1L)).isEqualTo(false);
  }
}
