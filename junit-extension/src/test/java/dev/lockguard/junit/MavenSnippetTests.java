package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Maven setup is written once: the agent-missing message prints it, the README shows it, and
 * the consumer project (built by the root build, its tests under the agent) uses it.
 */
class MavenSnippetTests {
  private static final Pattern ELEMENT =
      Pattern.compile("^<(dependency|plugin)>$.*?^</\\1>$", Pattern.MULTILINE | Pattern.DOTALL);

  @Test
  void theReadmeShowsTheSnippetVerbatim() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("lockguard.test.readme")));

    assertThat(readme).contains("```xml\n" + MavenSetup.snippet() + "```\n");
  }

  @Test
  void theConsumerProjectUsesEveryElementOfTheSnippet() throws IOException {
    String pom = normalized(Files.readString(Path.of(System.getProperty("lockguard.test.consumerPom"))));
    List<String> elements = elements(MavenSetup.snippet());

    assertThat(elements).hasSize(4);
    for (String element : elements) {
      assertThat(pom).contains(normalized(element));
    }
  }

  /** The snippet's top-level dependency and plugin elements. */
  private static List<String> elements(String snippet) {
    List<String> elements = new ArrayList<>();
    Matcher matcher = ELEMENT.matcher(snippet);
    while (matcher.find()) {
      elements.add(matcher.group());
    }
    return elements;
  }

  /** Each line trimmed: the consumer's pom indents the snippet's elements deeper. */
  private static String normalized(String xml) {
    return xml.lines().map(String::trim).collect(Collectors.joining("\n"));
  }
}
