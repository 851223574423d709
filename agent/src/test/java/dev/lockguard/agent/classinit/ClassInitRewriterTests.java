package dev.lockguard.agent.classinit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.ClassFilter;
import dev.lockguard.agent.core.LockTransformer;
import dev.lockguard.agent.core.Rewritten;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The class-initialization rewriter on {@link InitSites}, in-process: the rewritten class passes
 * ASM's verifier and the JVM's, and its initializer calls the hooks and nothing else of the
 * runtime.
 */
class ClassInitRewriterTests {
  @Test
  void initializerCallsTheHooksAroundItsBodyAndBeforeItsMonitor() throws Exception {
    Rewritten rewritten = Rewritten.by(InitSites.class, ClassInitClassVisitor.REWRITER).verified();

    assertThat(rewritten.hookOwners())
        .containsExactly("dev/lockguard/internal/classinit/ClassInitHooks");
    assertThat(rewritten.hookCount()).as("enter, lockInInitializer, exit at the return and"
        + " in the catch-all handler").isEqualTo(4);
    assertThat(rewritten.load().getDeclaredField("SIZE").getInt(null)).isEqualTo(5);
  }

  @Test
  void retransformedClassesAreLeftAlone() throws Exception {
    byte[] classfile;
    try (InputStream in = InitSites.class.getResourceAsStream("InitSites.class")) {
      classfile = in.readAllBytes();
    }
    LockTransformer transformer = new LockTransformer(
        new ClassFilter(List.of(), List.of(), Set.of()), List.of(ClassInitClassVisitor.REWRITER));

    assertThat(transformer.rewrite(classfile, InitSites.class.getClassLoader(), false))
        .as("unchanged: its initializer ran before the agent could watch it").isNull();
  }
}
