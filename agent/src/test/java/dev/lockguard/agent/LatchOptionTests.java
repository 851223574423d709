package dev.lockguard.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockguard.agent.latch.LatchOption;
import dev.lockguard.internal.core.Config;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code latches=} option's syntax, and how it sits among the other options. */
class LatchOptionTests {

  @Test
  void parsesClassesWithTheirMethodsByRole() {
    List<LatchOption.Spec> specs = LatchOption.parse(
        "com.acme.Signal(set=fire,clear=reset,await=waitFor|waitForMillis);"
            + " org.foo.Outer$Gate( set = open , await = pass )");

    assertThat(specs).containsExactly(
        new LatchOption.Spec("com.acme.Signal", Set.of("fire"), Set.of("reset"),
            Set.of("waitFor", "waitForMillis")),
        new LatchOption.Spec("org.foo.Outer$Gate", Set.of("open"), Set.of(), Set.of("pass")));
    assertThat(specs.get(0).roleOf("waitForMillis")).isEqualTo(LatchOption.Role.AWAIT);
    assertThat(specs.get(0).roleOf("toString")).isNull();
    assertThat(specs.get(1).internalName()).isEqualTo("org/foo/Outer$Gate");
  }

  @Test
  void commasInsideParenthesesDoNotSplitTheAgentArgument() throws AgentOptions.BadOption {
    AgentOptions options = AgentOptions.parse(
        "report=r.json,latches=com.acme.Signal(set=fire,clear=reset,await=waitFor),policy=throw",
        new Properties());

    assertThat(options.latches()).extracting(LatchOption.Spec::className)
        .containsExactly("com.acme.Signal");
    assertThat(options.config().policy()).isEqualTo(Config.Policy.THROW);
  }

  @Test
  void eachMalformedEntryIsNamedWithItsProblemAndTheSyntax() {
    assertProblem("com.acme.Signal", "name the class, then its methods in parentheses");
    assertProblem("com..Signal(set=a,await=b)", "\"com..Signal\" is not a class name");
    assertProblem("com.acme.Signal(set=fire)", "it names no await method");
    assertProblem("com.acme.Signal(await=w)", "it names no set method");
    assertProblem("com.acme.Signal(set=fire,open=x,await=w)",
        "\"open=x\" is not ROLE=METHOD with a role among set, clear, await");
    assertProblem("com.acme.Signal(set,await=w)", "the role set names no method");
    assertProblem("com.acme.Signal(set=a,set=b,await=w)", "the role set is given twice");
    assertProblem("com.acme.Signal(set=fire(),await=w)", "\"fire()\" is not a method name");
    assertProblem("com.acme.Signal(set=a|,await=w)", "\"\" is not a method name (role set)");
    assertProblem("A(set=a,await=b);A(set=a,await=b)", "the class is named twice");
    assertProblem("A(set=a,await=a)", "the method a has two roles, set and await");
  }

  private static void assertProblem(String value, String problem) {
    assertThatThrownBy(() -> LatchOption.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("option \"latches\" has the bad entry \"")
        .hasMessageContaining(problem)
        .hasMessageEndingWith("for example " + LatchOption.EXAMPLE + ".");
  }
}
