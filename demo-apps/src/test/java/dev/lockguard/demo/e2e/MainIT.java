package dev.lockguard.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The demos jar's command line, and every variant without the agent. */
class MainIT {
  @Test
  void noArgumentsListsEveryDemoAndVariant() throws Exception {
    Demos.Run run = Demos.withoutAgent();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout())
        .contains("usage: java [-javaagent:agent/target/lockguard-agent.jar[=OPTIONS]] -jar lockguard-demos.jar DEMO VARIANT")
        .containsPattern("(?m)^philosophers +five philosophers share five chopsticks")
        .containsPattern("(?m)^  naive +each takes left, then right: POTENTIAL_DEADLOCK")
        .containsPattern("(?m)^  ordered +both chopsticks through OrderedLocks.acquire: silent")
        .containsPattern("(?m)^producer-consumer ")
        .containsPattern("(?m)^  unsafe +isEmpty\\(\\) then take\\(\\): UNSAFE_QUEUE_CHECK")
        .containsPattern("(?m)^  sentinel ")
        .containsPattern("(?m)^  acknowledged ")
        .containsPattern("(?m)^connections ")
        .containsPattern("(?m)^  thread-local ")
        .containsPattern("(?m)^  shared +.*POTENTIAL_DEADLOCK")
        .containsPattern("(?m)^timer ")
        .containsPattern("(?m)^  event +.*REUSED_LATCH")
        .containsPattern("(?m)^  condition ")
        .containsPattern("(?m)^actors ")
        .containsPattern("(?m)^pubsub ");
    assertThat(run.stderr()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      nope                 | unknown demo "nope". Valid demos: philosophers, producer-consumer, connections, timer, actors, pubsub.
      philosophers         | say which variant of philosophers to run: naive, ordered.
      philosophers,greedy  | unknown variant "greedy" of philosophers. Valid variants: naive, ordered.
      timer,event,extra    | too many arguments after "timer event". Run: java [-javaagent:agent/target/lockguard-agent.jar[=OPTIONS]] -jar lockguard-demos.jar DEMO VARIANT
      """)
  void badArgumentsGetOneLineNamingTheValidOnesAndExitTwo(String args, String message)
      throws Exception {
    Demos.Run run = Demos.withoutAgent(args.split(","));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr()).isEqualTo("lockguard-demos: " + message + System.lineSeparator());
    assertThat(run.stdout()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "philosophers, naive", "philosophers, ordered",
      "producer-consumer, unsafe", "producer-consumer, sentinel", "producer-consumer, acknowledged",
      "connections, thread-local", "connections, shared",
      "timer, event", "timer, condition",
      "actors, silent", "pubsub, silent"})
  void everyVariantRunsToItsEndWithoutTheAgent(String demo, String variant) throws Exception {
    Demos.Run run = Demos.withoutAgent(demo, variant);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout())
        .contains("the lockguard agent is not attached")
        .contains(demo + " " + variant + ": done");
    assertThat(run.stderr()).as("no report and no stack trace without the agent").isEmpty();
  }
}
