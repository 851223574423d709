package dev.lockguard.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's plugin snippet is the one the sample builds use: each sample project that runs
 * all three goals has it, element for element.
 */
class ReadmeSnippetTests {
  private static final Pattern SNIPPET = Pattern.compile(
      "```xml\n(<plugin>\n  <groupId>dev\\.lockguard</groupId>\n"
          + "  <artifactId>lockguard-maven-plugin</artifactId>\n.*?\n</plugin>\n)```",
      Pattern.DOTALL);

  @Test
  void theSampleBuildsUseTheReadmesSnippet() throws IOException {
    Matcher snippet = SNIPPET.matcher(Files.readString(Path.of(
        System.getProperty("lockguard.readme", "../README.md"))));
    assertThat(snippet.find()).as("the README's plugin snippet").isTrue();
    String plugin = normalized(snippet.group(1));

    assertThat(plugin).contains("<goal>prepare-agent</goal>", "<goal>report</goal>",
        "<goal>check</goal>");
    for (String project : new String[] {"cross-jvm-cycle", "clean-project"}) {
      assertThat(normalized(Files.readString(Path.of("src/it", project, "pom.xml"))))
          .as(project).contains(plugin);
    }
  }

  /** Each line trimmed: the sample poms indent the snippet deeper. */
  private static String normalized(String xml) {
    return xml.lines().map(String::trim).collect(Collectors.joining("\n"));
  }
}
