package dev.lockguard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

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
  void everyBenchmarkMethodForksIntoTheFormItIsNamedAfter() throws Exception {
    // The @Fork literals cannot call Form (annotations take constants); keep them in step.
    Class<?>[] workloads = {UncontendedLock.class, Nested.class, SynchronizedBlock.class,
        SynchronizedNested.class, NewLock.class, NewLockNewEdge.class, Contended.class,
        ReadersOnly.class};
    int methods = 0;
    for (Class<?> workload : workloads) {
      for (Method method : workload.getDeclaredMethods()) {
        Fork fork = method.getAnnotation(Fork.class);
        if (method.getAnnotation(Benchmark.class) == null) {
          continue;
        }
        methods++;
        Form form = Form.of(method.getName());
        List<String> args = List.of(fork.jvmArgsAppend());
        assertThat(args).as(workload.getSimpleName() + "." + method.getName())
            .contains(form.jvmArg());
        assertThat(args.contains(AgentJar.JVM_ARG)).isEqualTo(form == Form.LOCKGUARD);
      }
    }
    assertThat(methods).isEqualTo(22);
  }
}
