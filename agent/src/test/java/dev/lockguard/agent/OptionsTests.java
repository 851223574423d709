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
    assertThat(defaults.classInit()).isTrue();
    assertThat(AgentOptions.parse("classinit=off", new Properties()).classInit()).isFalse();

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
        .hasMessageContaining("Valid keys: report, policy, order, include, exclude, watchdog, jdk,"
            + " latches, confirmFrom, confirmHold, classinit.");
    assertThatThrownBy(() -> AgentOptions.parse("classinit=no", new Properties()))
        .hasMessage(
            "option \"classinit\" has the bad value \"no\". Valid values: on, off.");
    assertThatThrownBy(() -> AgentOptions.parse("order=random", new Properties()))
        .hasMessage("option \"order\" has the bad value \"random\". Valid values: graph, ascending.");
    assertThatThrownBy(() -> AgentOptions.parse("report=", new Properties()))
        .hasMessage("option \"report\" is empty. Leave it out for its default, or give a value:"
            + " report=target/lockguard.json.");
    assertThatThrownBy(() -> AgentOptions.parse("watchdog=soon", new Properties()))
        .hasMessageContaining("option \"watchdog\" has the bad value \"soon\"");
    assertThatThrownBy(() -> AgentOptions.parse("include=com.acme.*;", new Properties()))
        .hasMessageContaining("option \"include\" has the bad pattern \"\"");
    assertThatThrownBy(() -> AgentOptions.parse("throw", new Properties()))
        .hasMessageContaining("is not key=value");
  }

  @Test
  void anOptionGivenTwiceIsRejectedNotTakenLastWins() {
    assertThatThrownBy(() -> AgentOptions.parse("policy=throw,policy=record", new Properties()))
        .hasMessage("option \"policy\" is given twice in -javaagent:...=policy=throw,"
            + "policy=record. Give each option once.");
  }

  @Test
  void everyEmptyValueIsRejectedTheSameWayInTheArgumentAndAsAProperty() {
    for (String key : AgentOptions.KEYS) {
      assertThatThrownBy(() -> AgentOptions.parse(key + "=", new Properties())).as(key)
          .hasMessage("option \"" + key + "\" is empty. Leave it out for its default, or give"
              + " a value: " + key + "=" + AgentOptions.EXAMPLES.get(key) + ".");
      Properties properties = new Properties();
      properties.setProperty("lockguard." + key, " ");
      assertThatThrownBy(() -> AgentOptions.parse(null, properties)).as(key)
          .hasMessageStartingWith("system property -Dlockguard." + key + "= : option \"" + key
              + "\" is empty.");
    }
    assertThatThrownBy(() -> AgentOptions.parse("exclude=;;", new Properties()))
        .hasMessageStartingWith("option \"exclude\" has the bad pattern \"\"");
  }

  @Test
  void aBadSystemPropertyIsNamedAsTheProperty() {
    Properties properties = new Properties();
    properties.setProperty("lockguard.order", "sideways");

    assertThatThrownBy(() -> AgentOptions.parse(null, properties))
        .hasMessage("system property -Dlockguard.order=sideways: option \"order\" has the bad"
            + " value \"sideways\". Valid values: graph, ascending.");
  }

  @Test
  void anUnknownLockguardPropertyIsWarnedAboutButTheExtensionsAndTestPropertiesAreNot()
      throws AgentOptions.BadOption {
    Properties properties = new Properties();
    properties.setProperty("lockguard.polcy", "throw");
    properties.setProperty("lockguard.selfAttach", "true");
    properties.setProperty("lockguard.failOn.severity", "WARNING");
    properties.setProperty("lockguard.test.failHooks", "1");
    properties.setProperty("lockguardian", "x");

    assertThat(AgentOptions.parse(null, properties).warnings()).containsExactly(
        "ignoring the system property -Dlockguard.polcy: it is no option of the agent (report,"
            + " policy, order, include, exclude, watchdog, jdk, latches, confirmFrom, confirmHold,"
            + " classinit)"
            + " and no parameter of the JUnit extension (failOn.kinds, failOn.severity,"
            + " deadlockTimeout, reportDir, selfAttach, agentJar, confirm, confirm.attempts,"
            + " confirm.hold, failOn.unconfirmed). Check its spelling.");
  }

  @Test
  void latchesNamingAClassTheAgentNeverInstrumentsIsRejected() {
    assertThatThrownBy(() -> AgentOptions.parse(
        "latches=java.util.concurrent.Semaphore(set=release,await=acquire)", new Properties()))
        .hasMessage("option \"latches\" names java.util.concurrent.Semaphore, which the agent"
            + " does not instrument (a JDK class), so it would never be watched. Name an"
            + " application class of your own that the agent instruments; CountDownLatch,"
            + " CyclicBarrier, Phaser and dev.lockguard.Event are watched without this option.");
    assertThatThrownBy(() -> AgentOptions.parse(
        "exclude=com.acme.*,latches=com.acme.Signal(set=fire,await=waitFor)", new Properties()))
        .hasMessageStartingWith("option \"latches\" names com.acme.Signal, which the agent"
            + " does not instrument (left out by include= or exclude=)");
    assertThatThrownBy(() -> AgentOptions.parse(
        "include=org.other.*,latches=com.acme.Signal(set=fire,await=waitFor)", new Properties()))
        .hasMessageStartingWith("option \"latches\" names com.acme.Signal, which the agent"
            + " does not instrument (left out by include= or exclude=)");
  }

  @Test
  void latchesNamingANestedClassWithADotIsWarnedAbout() throws AgentOptions.BadOption {
    AgentOptions options = AgentOptions.parse(
        "latches=com.acme.Outer.Signal(set=fire,await=waitFor);com.acme.Plain(set=a,await=b)",
        new Properties());

    assertThat(options.warnings()).containsExactly("option \"latches\" names"
        + " com.acme.Outer.Signal: if Signal is a nested class, write it with $"
        + " (com.acme.Outer$Signal), as the JVM names it; a class named with dots is never found.");
  }

  @Test
  void jdkAllOrNoneListedWithGroupsSaysTheyStandAlone() {
    assertThatThrownBy(() -> AgentOptions.parse("jdk=all;Vector", new Properties()))
        .hasMessageStartingWith("option \"jdk\" has the bad value \"all;Vector\": \"all\""
            + " stands alone (jdk=all); it cannot be listed with groups. Give jdk=all, jdk=none,"
            + " or groups separated by ';' from ");
  }

  @Test
  void theUsageTextListsEveryOption() {
    for (String key : AgentOptions.KEYS) {
      assertThat(Cli.AGENT_USAGE).contains("\n    " + key + "=" + AgentOptions.EXAMPLES.get(key));
    }
    assertThat(AgentOptions.EXAMPLES.keySet()).containsExactlyElementsOf(AgentOptions.KEYS);
  }

  @Test
  void theReadmesOptionTableHasARowForEveryOption() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
    for (String key : AgentOptions.KEYS) {
      assertThat(readme).as(key).contains("\n| `" + key + "` | ");
    }
  }

  @Test
  void aStarMatchesAnyCharactersDotsIncludedAsTheReadmeSays() {
    ClassFilter filter = new ClassFilter(java.util.List.of("dev.lockguard.*.Philosophers"),
        java.util.List.of(), java.util.Set.of());
    ClassLoader app = getClass().getClassLoader();

    assertThat(filter.instrument("dev.lockguard.demo.Philosophers", app)).isTrue();
    assertThat(filter.instrument("dev.lockguard.demo.philosophers.Philosophers", app)).isTrue();
    assertThat(filter.instrument("dev.lockguard.demo.Philosophers$Seat", app))
        .as("and nested classes, as a plain class name does").isTrue();
    assertThat(filter.instrument("dev.lockguard.demo.Philosophers2", app)).isFalse();
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
