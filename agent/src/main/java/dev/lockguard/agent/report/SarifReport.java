package dev.lockguard.agent.report;

import dev.lockguard.report.Report;
import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a report as SARIF 2.1.0, for GitHub code scanning and IDEs: one rule per finding kind
 * with help text, one result per finding with its level from the severity, its location at the
 * first site, the other sites of its edges as related locations, and a partial fingerprint from
 * the finding's stable id, so that code scanning tracks a finding from run to run.
 *
 * <p>Files are found under the given source roots and written relative to the base directory
 * (the repository), under the base id {@code SRCROOT}; a frame whose file is not found keeps its
 * package path.
 */
final class SarifReport {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String FINGERPRINT = "lockguardId/v1";

  private final Frames frames;

  SarifReport(Frames frames) {
    this.frames = frames;
  }

  /** The rule of each kind: a short description, and help on what to do about it. */
  enum Rule {
    POTENTIAL_DEADLOCK("Lock-order cycle: two code paths take the same locks in opposite orders.",
        "Two threads that run these paths at the same moment deadlock, each holding the lock the"
            + " other waits for. Take the locks in one global order everywhere (for example with"
            + " dev.lockguard.OrderedLocks), or take the second lock with tryLock and back off."),
    LOCK_ORDER_VIOLATION("A lock was taken out of its ascending rank (order=ascending).",
        "Every thread must take locks in ascending rank. Take the lower-ranked lock first, or give"
            + " the locks ranks that match the order the code needs."),
    DEADLOCK("Threads really deadlocked while the tests ran.",
        "The watchdog found threads waiting on each other's locks. The stacks show which locks"
            + " each holds and wants; make them take the locks in one order."),
    UNSAFE_QUEUE_CHECK("A queue's size or emptiness is checked, then acted on, with no lock"
        + " making the two atomic.",
        "Another thread can change the queue between the check and the act. Use the queue's own"
            + " atomic operations (poll, offer and their timed forms) instead of check-then-act."),
    REUSED_LATCH("An event-style latch is re-armed or replaced while a thread may still wait"
        + " on it.",
        "A thread waiting on the old latch is never released. Create a new latch per round and"
            + " hand it to the waiters, or use a Phaser.");

    final String description;
    final String help;

    Rule(String description, String help) {
      this.description = description;
      this.help = help;
    }
  }

  /** The report as a SARIF 2.1.0 log. */
  String render(Report report) {
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "lockguard");
    List<Object> rules = new ArrayList<>();
    for (Rule rule : Rule.values()) {
      rules.add(rule(rule));
    }
    driver.put("rules", rules);
    List<Object> results = new ArrayList<>();
    for (Violation violation : report.violations()) {
      results.add(result(violation));
    }
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("originalUriBaseIds", Map.of("SRCROOT",
        Map.of("uri", frames.base().toUri().toString())));
    run.put("results", results);
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("$schema", SCHEMA);
    log.put("version", "2.1.0");
    log.put("runs", List.of(run));
    return JsonText.write(log);
  }

  private static Map<String, Object> rule(Rule rule) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", rule.name());
    map.put("name", camel(rule.name()));
    map.put("shortDescription", Map.of("text", rule.description));
    map.put("fullDescription", Map.of("text", rule.description + " " + rule.help));
    map.put("help", Map.of("text", rule.help));
    map.put("defaultConfiguration", Map.of("level",
        rule == Rule.UNSAFE_QUEUE_CHECK || rule == Rule.REUSED_LATCH ? "warning" : "error"));
    return map;
  }

  private Map<String, Object> result(Violation violation) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("ruleId", violation.kind().name());
    result.put("ruleIndex", violation.kind().ordinal());
    result.put("level", level(violation.severity()));
    result.put("message", Map.of("text", violation.confirmation() == null ? violation.message()
        : TextReport.confirmationSummary(violation.confirmation()) + " " + violation.message()));
    Map<String, String> places = new LinkedHashMap<>(); // frame -> what happened there
    for (String site : violation.sites()) {
      places.putIfAbsent(site, "where lockguard found it");
    }
    for (Violation.EdgeRef edge : violation.edges()) {
      if (!edge.acquiredAt().isEmpty()) {
        places.putIfAbsent(edge.acquiredAt().get(0), "thread \"" + edge.thread() + "\" takes "
            + edge.to() + " here while holding " + edge.from());
      }
      if (!edge.heldAt().isEmpty()) {
        places.putIfAbsent(edge.heldAt().get(0),
            "thread \"" + edge.thread() + "\" took " + edge.from() + " here");
      }
    }
    places.keySet().removeIf(frame -> Frames.parse(frame) == null);
    List<Object> locations = new ArrayList<>();
    List<Object> relatedLocations = new ArrayList<>();
    int id = 1;
    for (Map.Entry<String, String> place : places.entrySet()) {
      if (locations.isEmpty()) {
        locations.add(location(place.getKey(), null, -1));
      }
      relatedLocations.add(location(place.getKey(), place.getValue(), id++));
    }
    result.put("locations", locations);
    if (!relatedLocations.isEmpty()) {
      result.put("relatedLocations", relatedLocations);
    }
    result.put("partialFingerprints", Map.of(FINGERPRINT, violation.id()));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("severity", violation.severity().name());
    List<Object> locks = new ArrayList<>();
    for (Violation.LockRef lock : violation.locks()) {
      locks.add(lock.name());
    }
    properties.put("locks", locks);
    properties.put("threads", new ArrayList<Object>(violation.threads()));
    properties.put("occurrences", violation.counts().occurrences());
    result.put("properties", properties);
    return result;
  }

  /** A location at the frame's file and line; {@code id} and a message for related ones. */
  private Map<String, Object> location(String frame, String message, int id) {
    Frames.Location at = Frames.parse(frame);
    Map<String, Object> artifact = new LinkedHashMap<>();
    String found = frames.find(at);
    if (found != null) {
      artifact.put("uri", found);
      artifact.put("uriBaseId", "SRCROOT");
    } else {
      artifact.put("uri", at.packagePath());
    }
    Map<String, Object> physical = new LinkedHashMap<>();
    physical.put("artifactLocation", artifact);
    if (at.line() > 0) {
      physical.put("region", Map.of("startLine", at.line()));
    }
    Map<String, Object> location = new LinkedHashMap<>();
    if (id > 0) {
      location.put("id", id);
    }
    location.put("physicalLocation", physical);
    location.put("logicalLocations", List.of(Map.of("fullyQualifiedName", at.qualifiedMethod(),
        "kind", "function")));
    if (message != null) {
      location.put("message", Map.of("text", message));
    }
    return location;
  }

  private static String level(Violation.Severity severity) {
    return switch (severity) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "note";
    };
  }

  /** {@code POTENTIAL_DEADLOCK} as {@code PotentialDeadlock}. */
  private static String camel(String constant) {
    StringBuilder out = new StringBuilder();
    for (String word : constant.split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }
}
