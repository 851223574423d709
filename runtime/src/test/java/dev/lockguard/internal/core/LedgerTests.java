package dev.lockguard.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation.Severity;
import org.junit.jupiter.api.Test;

/** The report-once-or-worse rule. */
class LedgerTests {
  @Test
  void aFindingGoesOutOnceThenOnlyWhenItTurnsWorse() {
    Ledger<String, String> ledger = new Ledger<>();

    assertThat(ledger.admit("a", Severity.INFO, "first")).isTrue();
    assertThat(ledger.admit("a", Severity.INFO, "repeat")).as("a repeat").isFalse();
    assertThat(ledger.admit("a", Severity.WARNING, "worse")).isTrue();
    assertThat(ledger.admit("a", Severity.INFO, "better")).as("never downgraded").isFalse();
    assertThat(ledger.admit("a", Severity.ERROR, "worst")).isTrue();
    assertThat(ledger.admit("a", Severity.ERROR, "again")).isFalse();
    assertThat(ledger.values()).containsExactly("worst");
  }

  @Test
  void aRepeatKeepsTheValueAndThePlaceOfTheFirst() {
    Ledger<String, String> ledger = new Ledger<>();
    ledger.admit("a", Severity.ERROR, "a1");
    ledger.admit("b", Severity.WARNING, "b1");

    assertThat(ledger.admit("a", Severity.ERROR, "a2")).as("as severe: a repeat").isFalse();
    assertThat(ledger.admit("b", Severity.ERROR, "b2")).isTrue();
    assertThat(ledger.values()).containsExactly("a1", "b2");
    assertThat(ledger.get("a")).isEqualTo("a1");
    assertThat(ledger.get("c")).isNull();
  }

  @Test
  void aForgottenKeyGoesOutAsNew() {
    Ledger<String, String> ledger = new Ledger<>();
    ledger.admit("a", Severity.ERROR, "dead");
    ledger.admit("b", Severity.ERROR, "live");
    ledger.admit("c", Severity.ERROR, "gone");

    ledger.removeIf(value -> value.equals("dead"));
    ledger.remove("c");

    assertThat(ledger.contains("a")).isFalse();
    assertThat(ledger.contains("b")).isTrue();
    assertThat(ledger.admit("a", Severity.WARNING, "again")).isTrue();
    assertThat(ledger.admit("c", Severity.INFO, "again")).isTrue();
    ledger.clear();
    assertThat(ledger.values()).isEmpty();
  }
}
