package dev.lockguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout of {@code dev.lockguard.internal}, read from the main sources: small packages, a
 * core that knows no detector, detectors that know only the core, and no file that refers back to
 * a file that refers to it.
 *
 * <p>A file refers to another when its code (comments and strings aside) imports it, names it
 * fully, or, in the same package, names it.
 */
class LayoutTests {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final String INTERNAL = "dev.lockguard.internal";
  private static final Pattern QUALIFIED = Pattern.compile("dev\\.lockguard\\.internal[\\w.]*");
  private static final Pattern WORD = Pattern.compile("\\b[A-Z]\\w*\\b");

  /** Each internal class (by its file) and the internal classes its file refers to. */
  private static final Map<String, Set<String>> REFERENCES = new TreeMap<>();

  @BeforeAll
  static void readSources() throws IOException {
    Map<String, String> code = new HashMap<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(INTERNAL.replace('.', '/')))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".java") && !name.equals("package-info.java")) {
          String path = SOURCES.relativize(file).toString().replace('/', '.');
          code.put(path.substring(0, path.length() - ".java".length()),
              withoutCommentsAndStrings(Files.readString(file)));
        }
      }
    }
    for (Map.Entry<String, String> file : code.entrySet()) {
      REFERENCES.put(file.getKey(), referencesOf(file.getKey(), file.getValue(), code.keySet()));
    }
  }

  @Test
  void everyPackageHasAtMostSixteenFiles() {
    Map<String, Integer> files = new TreeMap<>();
    for (String type : REFERENCES.keySet()) {
      files.merge(packageOf(type), 1, Integer::sum);
    }
    assertThat(files).isNotEmpty().allSatisfy((pkg, count) -> assertThat(count).as(pkg)
        .isLessThanOrEqualTo(16));
  }

  @Test
  void theCoreKnowsNoDetectorAndEachDetectorKnowsOnlyTheCore() {
    Map<String, Set<String>> packages = new TreeMap<>();
    REFERENCES.forEach((type, refs) -> {
      for (String ref : refs) {
        if (!packageOf(ref).equals(packageOf(type))) {
          packages.computeIfAbsent(packageOf(type), p -> new TreeSet<>()).add(packageOf(ref));
        }
      }
    });
    packages.remove(INTERNAL); // the top package starts and resets every detector
    assertThat(packages.getOrDefault(INTERNAL + ".core", Set.of())).as("core").isEmpty();
    assertThat(packages).allSatisfy((pkg, uses) -> assertThat(uses).as(pkg)
        .isSubsetOf(INTERNAL + ".core"));
  }

  @Test
  void noFileRefersBackToAFileThatRefersToIt() {
    List<String> cycles = new ArrayList<>();
    for (String type : REFERENCES.keySet()) {
      for (String ref : REFERENCES.get(type)) {
        if (type.compareTo(ref) < 0 && reaches(ref, type)) {
          cycles.add(type + " <-> " + ref);
        }
      }
    }
    assertThat(cycles).isEmpty();
  }

  private static boolean reaches(String from, String to) {
    Set<String> seen = new HashSet<>();
    List<String> pending = new ArrayList<>(List.of(from));
    while (!pending.isEmpty()) {
      String type = pending.remove(pending.size() - 1);
      if (type.equals(to)) {
        return true;
      }
      if (seen.add(type)) {
        pending.addAll(REFERENCES.getOrDefault(type, Set.of()));
      }
    }
    return false;
  }

  private static Set<String> referencesOf(String type, String code, Set<String> types) {
    Set<String> refs = new TreeSet<>();
    Matcher qualified = QUALIFIED.matcher(code); // imports and names written out in full
    while (qualified.find()) {
      String outermost = outermost(qualified.group(), types);
      if (outermost != null) {
        refs.add(outermost);
      }
    }
    Matcher words = WORD.matcher(code);
    while (words.find()) {
      String sibling = packageOf(type) + "." + words.group();
      if (types.contains(sibling)) {
        refs.add(sibling);
      }
    }
    refs.remove(type);
    return refs;
  }

  /** The class among {@code types} whose file holds {@code name} (a class, a member), or null. */
  private static String outermost(String name, Set<String> types) {
    String prefix = name;
    while (!types.contains(prefix) && prefix.contains(".")) {
      prefix = prefix.substring(0, prefix.lastIndexOf('.'));
    }
    return types.contains(prefix) ? prefix : null;
  }

  private static String packageOf(String type) {
    return type.substring(0, type.lastIndexOf('.'));
  }

  private static String withoutCommentsAndStrings(String source) {
    return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
        .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
  }
}
