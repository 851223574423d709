package dev.lockguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.ReportFixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The HTML page: self-contained, well-formed, every finding with its graph and stacks. */
class HtmlReportTests {
  private final String html = HtmlReport.render(ReportFixtures.fullReport());

  @Test
  void isWellFormedAndLoadsNothingFromElsewhere() throws Exception {
    Document page = parse(html);

    assertThat(page.getDocumentElement().getTagName()).isEqualTo("html");
    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("<link", "src=",
        "@import", "url(http");
  }

  @Test
  void summarisesTheFindingsByKindAndSeverity() throws Exception {
    NodeList rows = parse(html).getElementsByTagName("tr");

    assertThat(rows.getLength()).isEqualTo(4);
    assertThat(rows.item(0).getTextContent()).isEqualTo("kindERRORWARNINGINFO");
    assertThat(rows.item(1).getTextContent()).isEqualTo("POTENTIAL_DEADLOCK100");
    assertThat(rows.item(2).getTextContent()).isEqualTo("UNSAFE_QUEUE_CHECK010");
    assertThat(rows.item(3).getTextContent()).isEqualTo("REUSED_LATCH001");
  }

  @Test
  void drawsTheCycleAndShowsBothStacksOfEveryEdge() throws Exception {
    Element cycle = (Element) parse(html).getElementsByTagName("section").item(0);

    assertThat(cycle.getElementsByTagName("h2").item(0).getTextContent())
        .isEqualTo("1. POTENTIAL_DEADLOCK (ERROR)");
    assertThat(cycle.getTextContent())
        .contains("Philosopher.left and Philosopher.right are taken in both orders")
        .contains("Threads: t1, t2")
        .contains("com.acme.Philosopher.eat(Philosopher.java:20)",
            "com.acme.Philosopher.eat(Philosopher.java:21)",
            "com.acme.Philosopher.eatLeftHanded(Philosopher.java:30)",
            "com.acme.Philosopher.eatLeftHanded(Philosopher.java:31)");
    Element svg = (Element) cycle.getElementsByTagName("svg").item(0);
    assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(2);
    assertThat(svg.getElementsByTagName("path").getLength()).as("two edges and the arrow head")
        .isEqualTo(3);
    assertThat(svg.getTextContent()).contains("Philosopher.left", "Philosopher.right", "t1", "t2");
  }

  @Test
  void escapesEveryString() throws Exception {
    Element tricky = (Element) parse(html).getElementsByTagName("section").item(2);

    assertThat(tricky.getTextContent()).contains("quote \" backslash \\ tab \t newline \n bell")
        .contains("emoji \uD83D\uDE00 lone \uFFFD end");
  }

  private static Document parse(String html) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setExpandEntityReferences(false);
    return factory.newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }
}
