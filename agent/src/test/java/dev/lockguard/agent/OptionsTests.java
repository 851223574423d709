package dev.lockguard.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockguard.agent.core.ClassFilter;
import dev.lockguard.internal.core.Config;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OptionsTests {

  @Test
  void parsesEveryOptionAndDefaults() throws AgentOptions.BadOption {
    AgentOptions defaults = AgentOptions.parse(null, new Properties());
    assertThat(defaults.config().policy()).isEqualTo(Config.Policy.RECORD);
    assertThat(defaults.config().order()).isEqualTo(Config.Order.GRAPH);
    assertThat(defaults.config().reportPath()).isNull();
    assertThat(defaults.config().watchdogMillis()).isEqualTo(1000);
    assertThat(defaults.jdkClasses()).contains("java.util.Vector", "java.lang.StringBuffer");

    AgentOptions options = AgentOptions.parse(
        "report=out.json,policy=throw,order=ascending,include=com.acme.*;org.Foo,exclude=com.acme.gen.*,watchdog=0,jdk=Vector",
        new Properties());
    assertThat(options.config().reportPath()).isAbsolute().hasFileName("out.json");
    assertThat(options.config().policy()).isEqualTo(Config.Policy.THROW);
    assertThat(options.config().order()).isEqualTo(Config.Order.ASCENDING);
    assertThat(options.include()).containsExactly("com.acme.*", "org.Foo");
    assertThat(options.exclude()).containsExactly("com.acme.gen.*");
    assertThat(options.config().watchdogMillis()).isZero();
    assertThat(options.jdkClasses()).containsExactlyInAnyOrder("java.util.Vector", "java.util.Stack");
  }

  @Test
  void agentArgumentWinsOverSystemProperty() throws AgentOptions.BadOption {
    Properties properties = new Properties();
    properties.setProperty("lockguard.policy", "throw");
    properties.setProperty("lockguard.order", "ascending");
    properties.setProperty("lockguard.selfAttach", "true"); // other lockguard.* keys are not ours

    AgentOptions options = AgentOptions.parse("policy=record", properties);

    assertThat(options.config().policy()).isEqualTo(Config.Policy.RECORD);
    assertThat(options.config().order()).isEqualTo(Config.Order.ASCENDING);
  }

  @Test
  void rejectsUnknownKeysBadValuesAndMalformedPairs() {
    assertThatThrownBy(() -> AgentOptions.parse("polcy=throw", new Properties()))
        .hasMessageStartingWith("unknown option \"polcy\"")
        .hasMessageContaining("Valid keys: report, policy, order, include, exclude, watchdog, jdk, latches.");
    assertThatThrownBy(() -> AgentOptions.parse("order=random", new Properties()))
        .hasMessage("option \"order\" has the bad value \"random\". Valid values: graph, ascending.");
    assertThatThrownBy(() -> AgentOptions.parse("report=", new Properties()))
        .hasMessageContaining("option \"report\" is empty");
    assertThatThrownBy(() -> AgentOptions.parse("watchdog=soon", new Properties()))
        .hasMessageContaining("option \"watchdog\" has the bad value \"soon\"");
    assertThatThrownBy(() -> AgentOptions.parse("include=com.acme.*;", new Properties()))
        .hasMessageContaining("option \"include\" has the bad pattern \"\"");
    assertThatThrownBy(() -> AgentOptions.parse("throw", new Properties()))
        .hasMessageContaining("is not key=value");
  }

  @Test
  void globsCoverSubPackagesAndNestedClasses() {
    ClassFilter filter = new ClassFilter(java.util.List.of("com.acme.*", "org.foo.Bar"),
        java.util.List.of("com.acme.gen.*"), java.util.Set.of("java.util.Vector"));
    ClassLoader app = getClass().getClassLoader();

    assertThat(filter.instrument("com.acme.Service", app)).isTrue();
    assertThat(filter.instrument("com.acme.deep.Service$Inner", app)).isTrue();
    assertThat(filter.instrument("com.acme.gen.Generated", app)).isFalse();
    assertThat(filter.instrument("org.foo.Bar", app)).isTrue();
    assertThat(filter.instrument("org.foo.Bar$Nested", app)).isTrue();
    assertThat(filter.instrument("org.foo.Barn", app)).isFalse();
    assertThat(filter.instrument("net.other.Thing", app)).isFalse();
    assertThat(filter.instrument("java.util.Vector", null)).isTrue();
    assertThat(filter.instrument("java.util.ArrayList", null)).isFalse();
  }

  @Test
  void defaultFilterSkipsLockguardTheJdkAndTestRunners() {
    ClassFilter filter = new ClassFilter(java.util.List.of(), java.util.List.of(), java.util.Set.of());
    ClassLoader app = getClass().getClassLoader();

    assertThat(filter.instrument("com.acme.Service", app)).isTrue();
    assertThat(filter.instrument("dev.lockguard.demo.Philosophers", app)).isTrue();
    assertThat(filter.instrument("dev.lockguard.internal.lockorder.Hooks", app)).isFalse();
    assertThat(filter.instrument("dev.lockguard.agent.Installer", app)).isFalse();
    assertThat(filter.instrument("org.junit.platform.launcher.core.Launcher", app)).isFalse();
    assertThat(filter.instrument("com.acme.Service$$Lambda$12", app)).isFalse();
  }

  @Test
  void reportPathNamesTheProcessForPercentP() throws AgentOptions.BadOption {
    AgentOptions options = AgentOptions.parse("report=lg-%p.json", new Properties());

    assertThat(options.config().reportPath())
        .hasFileName("lg-" + ProcessHandle.current().pid() + ".json");
    assertThat(AgentOptions.expandPercent("a%%b-%p-%p", 42)).isEqualTo("a%b-42-42");
  }

  @Test
  void reportPathRejectsAnyOtherPercent() {
    assertThatThrownBy(() -> AgentOptions.parse("report=lg-%t.json", new Properties()))
        .hasMessage("option \"report\" has the bad value \"lg-%t.json\": '%' must be followed"
            + " by 'p' (the process id) or '%' (a literal '%'), for example"
            + " report=target/lockguard/lockguard-%p.json.");
    assertThatThrownBy(() -> AgentOptions.parse("report=lg-%", new Properties()))
        .hasMessageContaining("'%' must be followed by 'p'");
  }
}
