package dev.lockguard.junit;

import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The JUnit Jupiter extension behind {@link LockGuard}: fails tests on lockguard's findings.
 *
 * <p>Register it with {@code @LockGuard}, with {@code @ExtendWith(LockGuardExtension.class)}, or
 * for every test through JUnit's extension autodetection
 * ({@code junit.jupiter.extensions.autodetection.enabled=true}; the jar registers it with
 * {@link java.util.ServiceLoader}).
 *
 * <p>Around each test it opens a scope that the test's thread, and every thread the test starts,
 * carries; each violation the agent finds goes to the scope of the thread that found it. After the
 * test ran, {@code afterEach} writes the test's JSON report, publishes its path as the report
 * entry {@code lockguard.report}, and fails the test with the text report if a finding fails it.
 * Findings no single test owns fail the class in {@code afterAll}.
 */
public final class LockGuardExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        InvocationInterceptor {

  static final Namespace NAMESPACE = Namespace.create(LockGuardExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    AgentCheck.requireAgent(context);
    Rules.of(context); // bad class-level annotations fail the class before any test
    ClassScope.of(context).enter();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ClassScope.existing(context).ifPresent(ClassScope::finish);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    AgentCheck.requireAgent(context);
    TestRun run = new TestRun(context, Rules.of(context), Configuration.deadlockTimeout(context),
        new TestScope(testName(context), ClassScope.of(context)));
    context.getStore(NAMESPACE).put(TestRun.class, run);
    run.previous = Attribution.enter(run.scope);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestRun run = context.getStore(NAMESPACE).remove(TestRun.class, TestRun.class);
    if (run != null) {
      run.finish();
    }
  }

  @Override
  public void interceptTestMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context)
      throws Throwable {
    proceedAndConfirm(invocation, invocationContext, context);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context)
      throws Throwable {
    proceedAndConfirm(invocation, invocationContext, context);
  }

  /**
   * Runs the test, then, when confirming is on, runs it again steered to confirm its lock-order
   * cycles ({@link Steered}); the test's own outcome is the first run's.
   */
  private static void proceedAndConfirm(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
    Steered.Settings confirm = Configuration.confirm(context);
    try {
      proceed(invocation, context);
    } finally {
      TestRun run = context.getStore(NAMESPACE).get(TestRun.class, TestRun.class);
      if (confirm.enabled() && run != null && run.scope.abandoned() == null) {
        Steered.confirm(call, run.scope, run.rules, confirm, run.deadlockTimeout);
      }
    }
  }

  /** A dynamic test runs within its factory's scope, under the factory's deadlock timeout. */
  @Override
  public void interceptDynamicTest(Invocation<Void> invocation,
      DynamicTestInvocationContext invocationContext, ExtensionContext context) throws Throwable {
    proceed(invocation, context);
  }

  private static void proceed(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    TestRun run = context.getStore(NAMESPACE).get(TestRun.class, TestRun.class);
    if (run == null) {
      invocation.proceed(); // registered after beforeEach ran: nothing to watch
      return;
    }
    DeadlockWatch.proceed(invocation, run.scope, run.deadlockTimeout);
  }

  /** {@code fixtures.Foo#bar()}, or with the invocation's display name for a template. */
  private static String testName(ExtensionContext context) {
    String method = context.getRequiredTestMethod().getName() + "()";
    String name = context.getRequiredTestClass().getName() + "#" + method;
    return context.getDisplayName().equals(method) ? name : name + " " + context.getDisplayName();
  }

  /** One test from {@code beforeEach} to {@code afterEach}. */
  private static final class TestRun {
    final ExtensionContext context;
    final Rules rules;
    final Duration deadlockTimeout;
    final TestScope scope;
    Scope previous;

    TestRun(ExtensionContext context, Rules rules, Duration deadlockTimeout, TestScope scope) {
      this.context = context;
      this.rules = rules;
      this.deadlockTimeout = deadlockTimeout;
      this.scope = scope;
    }

    /** Closes the scope, restores the thread's, and gives the verdict. */
    void finish() {
      Attribution.restore(previous);
      var deadlocks = Deadlocks.claim(ids -> Deadlocks.intersects(ids, scope.threads()));
      Verdict.forTest(context, rules, scope.close(deadlocks), scope.abandoned());
    }
  }
}
