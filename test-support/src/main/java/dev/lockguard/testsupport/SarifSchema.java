package dev.lockguard.testsupport;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The official SARIF 2.1.0 JSON schema (a copy of OASIS's {@code sarif-schema-2.1.0.json}, as in
 * the project's {@code shared/sarif/}), to validate the report command's SARIF against.
 */
public final class SarifSchema {
  private static final Schema SCHEMA = load();

  private SarifSchema() {}

  /** Every way {@code sarif} breaks the schema; empty if it is valid. */
  public static List<String> errors(String sarif) {
    return SCHEMA.validate(sarif, InputFormat.JSON).stream().map(Object::toString).toList();
  }

  private static Schema load() {
    try (InputStream in = SarifSchema.class.getResourceAsStream("sarif-schema-2.1.0.json")) {
      String schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
          .getSchema(schema, InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
