package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The annotations' enums carry exactly the runtime's names, in its order. */
class EnumNamesTests {

  @Test
  void kindsAreTheRuntimesKinds() {
    assertThat(Arrays.stream(Kind.values()).map(Enum::name))
        .containsExactlyElementsOf(Arrays.stream(Violation.Kind.values()).map(Enum::name).toList());
    assertThat(new FailOnDefaults().kinds()).containsExactly(Kind.values());
  }

  @Test
  void severitiesAreTheRuntimesSeveritiesWorstFirst() {
    assertThat(Arrays.stream(Severity.values()).map(Enum::name)).containsExactlyElementsOf(
        Arrays.stream(Violation.Severity.values()).map(Enum::name).toList());
    assertThat(Severity.ERROR.atLeast(Severity.WARNING)).isTrue();
    assertThat(Severity.WARNING.atLeast(Severity.WARNING)).isTrue();
    assertThat(Severity.INFO.atLeast(Severity.WARNING)).isFalse();
  }

  /** Reads {@link FailOn}'s defaults. */
  @FailOn
  private static final class FailOnDefaults {
    Kind[] kinds() {
      return FailOnDefaults.class.getAnnotation(FailOn.class).kinds();
    }
  }
}
