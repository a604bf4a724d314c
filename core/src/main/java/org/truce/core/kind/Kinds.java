package org.truce.core.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Rejection;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;

/**
 * The record kinds this log takes, each with its JSON Schema (draft 2020-12) for the body. Schemas
 * are resources of this package and are resolved among themselves only: nothing is fetched from the
 * network. Immutable and thread-safe.
 */
public final class Kinds {
    /** The base of every schema's {@code $id}. */
    public static final String SCHEMA_BASE = "https://truce.example/schemas/";

    private static final List<String> KINDS = List.of("genesis", "party", "party.key", "message", "message.ack",
            "actor", "actor.name", "actor.status", "agreement", "agreement.accept", "step.report", "step.assessment",
            "deadline.extension", "pause", "agreement.withdraw", "incident", "incident.observation", "incident.claim",
            "incident.assessment", "notification.site", "notification.movement", "notification.ack", "notification.withdraw", "volume", "area.declaration");
    private static final int MAX_ERRORS = 5;

    private static final Kinds STANDARD = load();

    private final Map<String, JsonNode> documents;
    private final Map<String, Schema> schemas;

    private Kinds(Map<String, JsonNode> documents, Map<String, Schema> schemas) {
        this.documents = documents;
        this.schemas = schemas;
    }

    /** The kinds of this version of Truce. */
    public static Kinds standard() {
        return STANDARD;
    }

    public Set<String> names() {
        return documents.keySet();
    }

    public boolean contains(String kind) {
        return documents.containsKey(kind);
    }

    /** The schema document of a kind, as published. */
    public JsonNode schema(String kind) {
        JsonNode d = documents.get(kind);
        if (d == null) {
            throw new IllegalArgumentException("unknown kind " + kind);
        }
        return d.deepCopy();
    }

    /** Checks a body against its kind's schema. */
    public void validate(String kind, JsonNode body) throws EntryException {
        Schema s = schemas.get(kind);
        if (s == null) {
            throw new EntryException(Rejection.UNKNOWN_KIND, "'" + kind + "' is not a kind this log records; it records "
                    + String.join(", ", documents.keySet()));
        }
        List<Error> errors = s.validate(body);
        if (!errors.isEmpty()) {
            String msg = errors.stream().limit(MAX_ERRORS)
                    .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
                    .collect(Collectors.joining("; "));
            throw new EntryException(Rejection.SCHEMA_VIOLATION, "the " + kind + " body does not match its schema: " + msg);
        }
    }

    private static Kinds load() {
        Map<String, String> texts = new HashMap<>();
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        texts.put(SCHEMA_BASE + "defs.json", resource("defs.json"));
        for (String k : KINDS) {
            String text = resource(k + ".json");
            texts.put(SCHEMA_BASE + k + ".json", text);
            try {
                docs.put(k, Json.parse(text.getBytes(StandardCharsets.UTF_8)));
            } catch (InvalidJsonException e) {
                throw new IllegalStateException("schema of " + k + " is not JSON: " + e.getMessage(), e);
            }
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(texts).schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .formatAssertionsEnabled(true).build()));
        Map<String, Schema> schemas = new HashMap<>();
        for (String k : KINDS) {
            Schema s = registry.getSchema(SchemaLocation.of(SCHEMA_BASE + k + ".json"));
            s.initializeValidators();
            schemas.put(k, s);
        }
        return new Kinds(java.util.Collections.unmodifiableMap(docs), Map.copyOf(schemas));
    }

    private static String resource(String name) {
        try (InputStream in = Kinds.class.getResourceAsStream("schemas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
