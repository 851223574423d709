package dev.lockguard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FormTests {
  @Test
  void formsRoundTripThroughTheirJvmArgument() {
    for (Form form : Form.values()) {
      assertThat(form.jvmArg()).isEqualTo("-Dbench.form=" + form.id());
      assertThat(Form.of(form.id())).isSameAs(form);
    }
  }

  @Test
  void anUnknownFormNamesTheValidOnes() {
    assertThatThrownBy(() -> Form.of("agent"))
        .hasMessage("Unknown form 'agent'; valid: bare, lockguard, guava");
  }

  @Test
  void benchmarkClassesSelectTheirFormInTheirForkArguments() {
    // The @Fork literals cannot reference Form (annotations take constants); keep them in step.
    assertThat(forkArgs(BareJvm.class)).contains(Form.BARE.jvmArg());
    assertThat(forkArgs(LockGuardAgent.class)).contains(Form.LOCKGUARD.jvmArg(), AgentJar.JVM_ARG);
    assertThat(forkArgs(GuavaCycleDetecting.class)).contains(Form.GUAVA.jvmArg());
  }

  private static String[] forkArgs(Class<?> benchmark) {
    return benchmark.getAnnotation(org.openjdk.jmh.annotations.Fork.class).jvmArgsAppend();
  }
}
