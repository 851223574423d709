package dev.lockguard.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The Maven setup that attaches the agent to the test JVM, as the README shows it.
 *
 * <p>One copy, {@code maven-setup.xml} beside this class, is printed by the agent-missing error;
 * tests check that the README shows exactly this text and that the consumer project in the
 * repository builds with it.
 */
final class MavenSetup {
  static final String SNIPPET_RESOURCE = "maven-setup.xml";

  private MavenSetup() {}

  /** The snippet, with {@code ${lockguard.version}} left for the user's property. */
  static String snippet() {
    return resource(SNIPPET_RESOURCE);
  }

  /** The version of this extension, which the agent should match. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = MavenSetup.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "the version of lockguard-junit you use");
  }

  /** The message for a test JVM without the agent. */
  static String agentMissing() {
    return "lockguard: the lockguard agent is not attached to this JVM, so lockguard cannot"
        + " watch any lock. Attach it to the test JVM: in your pom.xml, set the property"
        + " <lockguard.version>" + version() + "</lockguard.version> and add\n\n" + snippet()
        + "\nIf the pom already sets an argLine (JaCoCo does), put both in it:"
        + " <argLine>@{argLine} -javaagent:@{dev.lockguard:lockguard-agent:jar}</argLine>."
        + " Outside Maven, start the test JVM with -javaagent:/path/to/lockguard-agent.jar."
        + " Or set the configuration parameter " + Configuration.SELF_ATTACH + "=true to"
        + " attach it at run time (JDK 21 and later then need -XX:+EnableDynamicAgentLoading).";
  }

  private static String resource(String name) {
    try (InputStream in = MavenSetup.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("lockguard-junit lacks its resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
