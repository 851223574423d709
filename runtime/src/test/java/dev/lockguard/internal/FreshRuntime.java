package dev.lockguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.LockOrderViolationException;
import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Reporter;
import dev.lockguard.internal.lockorder.LockOrderDetector;
import dev.lockguard.report.Violation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each unit test a runtime of its own: reset before and after the test, configured as the
 * agent would with stderr output off, and a listener that collects every finding published.
 *
 * <p>Register it with {@code @RegisterExtension final FreshRuntime runtime = new FreshRuntime();}
 * and read {@link #findings()}.
 */
public final class FreshRuntime implements BeforeEachCallback, AfterEachCallback {
  private final List<Violation> findings = new CopyOnWriteArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    TestSupport.reset();
    use(Config.Policy.RECORD);
    Reporter.addListener(findings::add);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestSupport.reset();
  }

  /** Puts a quiet agent configuration with {@code policy} in force, as the agent's start would. */
  public void use(Config.Policy policy) {
    Config config = new Config(null, policy, Config.Order.GRAPH, 0, true,
        LockOrderViolationException::new);
    Config.install(config);
    LockOrderDetector.configure(config);
  }

  /** Every finding published since the test began, in order: what listeners heard. */
  public List<Violation> findings() {
    return findings;
  }

  /** The one finding published, which the report also keeps; fails if there is not just one. */
  public Violation onlyFinding() {
    assertThat(findings).hasSize(1);
    Violation violation = findings.get(0);
    assertThat(recorded()).containsExactly(violation);
    return violation;
  }

  /** The findings the report keeps: one per id, never downgraded. */
  public List<Violation> recorded() {
    return Reporter.violations();
  }
}
