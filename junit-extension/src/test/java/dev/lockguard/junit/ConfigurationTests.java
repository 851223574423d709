package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations as the deadlock timeout takes them, and report file names. */
class ConfigurationTests {

  @ParameterizedTest(name = "\"{0}\" is {1} ms")
  @CsvSource({"0, 0", "30, 30000", "30 s, 30000", "500ms, 500", "500 MS, 500", "2 m, 120000",
      "1 h, 3600000", "' 5 s ', 5000"})
  void durationsTakeAnOptionalUnitAndDefaultToSeconds(String value, long millis) {
    assertThat(Configuration.duration(value, "x")).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "-1", "1.5 s", "30 sec", "1 d", "10000000000"})
  void anythingElseIsNotADuration(String value) {
    assertThatThrownBy(() -> Configuration.duration(value, "@LockGuard(deadlockTimeout)"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("lockguard: @LockGuard(deadlockTimeout) is not a duration. Write a number"
            + " with an optional unit ms, s, m or h, for example \"30 s\", or \"0\" to turn the"
            + " deadlock timeout off.");
  }

  /**
   * The agent warns about a {@code -Dlockguard.*} system property that is none of its options,
   * unless it is one of these parameters: it must know every one (this JVM runs with the agent).
   */
  @Test
  void theAgentKnowsEveryParameterSoThatItDoesNotWarnAboutThem() throws Exception {
    Field known = Class.forName("dev.lockguard.agent.AgentOptions")
        .getDeclaredField("EXTENSION_PARAMETERS");
    known.setAccessible(true);
    List<Object> parameters = new ArrayList<>();
    for (Field constant : Configuration.class.getDeclaredFields()) {
      if (Modifier.isStatic(constant.getModifiers()) && constant.getType() == String.class) {
        constant.setAccessible(true);
        String value = (String) constant.get(null);
        if (value.startsWith("lockguard.")) {
          parameters.add(value.substring("lockguard.".length()));
        }
      }
    }

    assertThat(parameters).hasSizeGreaterThanOrEqualTo(6);
    assertThat(new ArrayList<Object>((List<?>) known.get(null))).containsAll(parameters);
  }

  @Test
  void durationsAreFormattedAsPeopleWriteThem() {
    assertThat(Configuration.format(Duration.ofSeconds(60))).isEqualTo("60 s");
    assertThat(Configuration.format(Duration.ofMillis(1500))).isEqualTo("1500 ms");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "[engine:junit-jupiter]/[class:a.B]/[method:transfer()] | transfer().json",
      "[engine:junit-jupiter]/[class:a.B]/[method:transfer(java.lang.String, int)]"
          + " | transfer(java.lang.String,_int).json",
      "[engine:junit-jupiter]/[class:a.B]/[test-template:m(int)]/[test-template-invocation:#3]"
          + " | m(int)-#3.json",
      "[engine:junit-jupiter]/[class:a.B]/[nested-class:C]/[method:x()] | x().json",
      "[engine:junit-jupiter]/[class:a.B]/[test-factory:f()]/[dynamic-test:#1] | f()-#1.json",
      "[engine:junit-jupiter]/[class:a.B]/[method:odd/name:?()] | odd_name__().json"})
  void reportFilesAreNamedAfterTheTestBelowItsClass(String uniqueId, String fileName) {
    assertThat(Reports.fileName(uniqueId)).isEqualTo(fileName);
  }
}
