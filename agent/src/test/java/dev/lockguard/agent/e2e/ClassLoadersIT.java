package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.testsupport.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code defined by class loaders that do not delegate {@code dev.lockguard} to the boot loader,
 * under the shaded agent in forked JVMs: a plugin host's isolating loader, a child-first loader that
 * bundles lockguard's runtime jar, Apache Felix with a bundle, and Jetty with a web application.
 * Each prints what it prints without the agent (the expected lines below are the fixtures' output
 * without it), exits normally, and its lock-order cycle is reported with the fields' names by the
 * one runtime. A loader the agent cannot rewrite leaves its classes alone and says so once.
 */
class ClassLoadersIT {
  private static final String INCLUDE = "include=fixtures.agent.loaders.*";
  private static final String FIXTURE = "loaders/Inversion";
  private static final Path CLASSES = Path.of(System.getProperty("lockguard.fixtureClasspath",
      "target/test-classes")).toAbsolutePath();
  private static final Path RUNTIME_JAR =
      Path.of("target/classes/dev/lockguard/agent/lockguard-runtime.jar").toAbsolutePath();
  private static final String NOT_INSTRUMENTED = "are not instrumented";

  @TempDir Path dir;

  @Test
  void pluginLoaderThatSeesOnlyJavaRunsAndItsCycleIsNamed() throws Exception {
    Run run = run("isolated", List.of(), "fixtures.agent.loaders.PluginHost", "isolated",
        CLASSES.toString());

    run.assertOutput("both orders taken 2 times in plugins");
    run.assertInversionReported();
  }

  @Test
  void childFirstLoaderBundlingTheRuntimeStillReportsToTheOneRuntime() throws Exception {
    Run run = run("child-first", List.of(), "fixtures.agent.loaders.PluginHost", "child-first",
        CLASSES.toString(), RUNTIME_JAR.toString());

    run.assertOutput("both orders taken 2 times in child-first");
    run.assertInversionReported();
  }

  @Test
  void agentAttachedAfterTheLoaderWasMadeRewritesItFirst() throws Exception {
    Path reportFile = dir.resolve("late.json");
    ForkedJvm.Result result = ForkedJvm.java().jvmArg("-Djdk.attach.allowAttachSelf=true")
        .classPath(CLASSES).run("fixtures.agent.loaders.PluginHost", "late", CLASSES.toString(),
            // only the plugin's class: the loader is rewritten although no option selects it
            Fixtures.AGENT_JAR.toString(),
            "include=fixtures.agent.loaders.Inversion,report=" + reportFile);
    Run run = new Run(result, Fixtures.readReport(reportFile));

    run.assertOutput("both orders taken 2 times in plugins");
    run.assertInversionReported();
  }

  @Test
  void loaderTheAgentCannotRewriteKeepsItsClassesUninstrumentedAndSaysSoOnce() throws Exception {
    Run run = run("hidden", List.of(), "fixtures.agent.loaders.PluginHost", "hidden",
        CLASSES.toString());

    run.assertOutput("both orders taken 2 times in plugins");
    assertThat(run.report.violations()).as(run.result.toString()).isEmpty();
    List<String> said = run.result.stderr().lines()
        .filter(line -> line.startsWith("lockguard: ")).toList();
    assertThat(said).as(run.result.toString()).hasSize(1);
    assertThat(said.get(0)).startsWith("lockguard: the classes of class loader "
            + "fixtures.agent.loaders.IsolatingLoader/0x")
        .contains("are not instrumented and their locks are not watched: it does not delegate"
            + " dev.lockguard.internal to the boot loader")
        .contains("is hidden, so lockguard could not rewrite its loadClass");
  }

  @Test
  void osgiBundleInApacheFelixWithoutBootDelegationRunsAndItsCycleIsNamed() throws Exception {
    Path bundle = dir.resolve("inversion-bundle.jar");
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", "fixtures.inversion");
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Bundle-Activator", "fixtures.agent.loaders.osgi.InversionActivator");
    main.putValue("Import-Package", "org.osgi.framework");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(bundle), manifest)) {
      copyClass(jar, "fixtures/agent/loaders/Inversion.class");
      copyClass(jar, "fixtures/agent/loaders/osgi/InversionActivator.class");
    }

    Run run = run("osgi", testClasspath(), "fixtures.agent.loaders.osgi.OsgiHost",
        bundle.toString(), dir.resolve("felix-cache").toString());

    run.assertOutput("fixtures.inversion: both orders taken 2 times in BundleClassLoader");
    run.assertInversionReported();
  }

  @Test
  void webApplicationInJettyRunsAndItsCycleIsNamed() throws Exception {
    Path webapp = dir.resolve("webapp");
    Path webInf = Files.createDirectories(webapp.resolve("WEB-INF"));
    Files.writeString(webInf.resolve("web.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
          <servlet>
            <servlet-name>inversion</servlet-name>
            <servlet-class>fixtures.agent.loaders.web.InversionServlet</servlet-class>
          </servlet>
          <servlet-mapping>
            <servlet-name>inversion</servlet-name>
            <url-pattern>/inversion</url-pattern>
          </servlet-mapping>
        </web-app>
        """);
    for (String type : List.of("fixtures/agent/loaders/Inversion.class",
        "fixtures/agent/loaders/web/InversionServlet.class")) {
      Path target = webInf.resolve("classes").resolve(type);
      Files.createDirectories(target.getParent());
      Files.copy(CLASSES.resolve(type), target);
    }
    // the application bundles lockguard's runtime, as one using its API would
    Path lib = Files.createDirectories(webInf.resolve("lib"));
    Files.copy(RUNTIME_JAR, lib.resolve("lockguard-runtime.jar"));

    Run run = run("web", testClasspath(), "fixtures.agent.loaders.web.WebHost", webapp.toString());

    run.assertOutput("200 both orders taken 2 times in ROOT");
    run.assertInversionReported();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private record Run(ForkedJvm.Result result, Report report) {
    void assertOutput(String line) {
      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stdout()).as(result.toString()).isEqualTo(line + System.lineSeparator());
    }

    /** The one finding: Inversion's two fields, both edges with their sites, printed once. */
    void assertInversionReported() {
      assertThat(result.stderr()).as(result.toString()).doesNotContain(NOT_INSTRUMENTED);
      assertThat(report.violations()).as(result.toString()).hasSize(1);
      Violation violation = report.violations().get(0);
      assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
      assertThat(violation.severity()).isEqualTo(Severity.ERROR);
      assertThat(violation.locks()).containsExactlyInAnyOrder(
          new LockRef("Inversion.left", "java.lang.Object"),
          new LockRef("Inversion.right", "java.lang.Object"));
      assertThat(violation.message()).contains("Lock-order cycle", "Inversion.left",
          "Inversion.right", "deadlock if they run at the same moment");
      assertThat(violation.threads()).containsExactlyInAnyOrder("forward", "backward");
      assertEdge(violation, "Inversion.left", "Inversion.right", "forward", "@held-left",
          "@acquire-right");
      assertEdge(violation, "Inversion.right", "Inversion.left", "backward", "@held-right",
          "@acquire-left");
      assertThat(result.stderr().lines().filter(line -> line.contains(violation.id())))
          .as(result.toString()).hasSize(1);
    }

    private static void assertEdge(Violation violation, String from, String to, String thread,
        String heldMarker, String acquiredMarker) {
      List<EdgeRef> edges = violation.edges().stream()
          .filter(edge -> edge.from().equals(from) && edge.to().equals(to)).toList();
      assertThat(edges).as("edge %s -> %s", from, to).hasSize(1);
      EdgeRef edge = edges.get(0);
      assertThat(edge.thread()).isEqualTo(thread);
      assertThat(edge.heldAt().get(0)).contains(Fixtures.lineOf(FIXTURE, heldMarker));
      assertThat(edge.acquiredAt().get(0)).contains(Fixtures.lineOf(FIXTURE, acquiredMarker));
      assertThat(violation.sites()).anySatisfy(
          site -> assertThat(site).contains(Fixtures.lineOf(FIXTURE, acquiredMarker)));
    }
  }

  private Run run(String name, List<Path> classpath, String mainClass, String... args)
      throws IOException, InterruptedException {
    List<Path> entries = new ArrayList<>(List.of(CLASSES));
    entries.addAll(classpath);
    Path reportFile = dir.resolve(name + ".json");
    ForkedJvm.Result result = ForkedJvm.java().agent(Fixtures.AGENT_JAR, INCLUDE)
        .report(reportFile).classPath(entries.toArray(new Path[0])).run(mainClass, args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return new Run(result, Fixtures.readReport(reportFile));
  }

  /** The module's test class path (Felix, Jetty), as the build wrote it for these tests. */
  private static List<Path> testClasspath() throws IOException {
    Path file = Path.of(System.getProperty("lockguard.testClasspathFile",
        "target/test-classpath.txt"));
    List<Path> entries = new ArrayList<>();
    for (String entry : Files.readString(file).trim().split(java.io.File.pathSeparator)) {
      entries.add(Path.of(entry));
    }
    return entries;
  }

  private static void copyClass(JarOutputStream jar, String path) throws IOException {
    jar.putNextEntry(new JarEntry(path));
    Files.copy(CLASSES.resolve(path), jar);
    jar.closeEntry();
  }
}
