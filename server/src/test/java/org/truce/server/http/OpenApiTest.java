package org.truce.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.truce.core.agreement.Agreements;
import org.truce.core.json.Json;

/** The OpenAPI document describes exactly the routes the server registers, with their parameters. */
class OpenApiTest {
    private final JsonNode doc = Json.parse(OpenApi.document());

    OpenApiTest() throws Exception {}

    private JsonNode operation(Route r) {
        return doc.path("paths").path(r.openApiPath()).path(r.method().name().toLowerCase(Locale.ROOT));
    }

    /** A parameter object, following a local {@code $ref}. */
    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        JsonNode target = doc;
        for (String part : ref.asText().substring(2).split("/")) {
            target = target.path(part);
        }
        assertThat(target.isMissingNode()).as("%s resolves", ref.asText()).isFalse();
        return resolve(target);
    }

    @Test
    void document_isOpenApi31_withOneOperationPerRoute_andNothingElse() {
        assertThat(doc.get("openapi").asText()).startsWith("3.1.");
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties()
                .forEach(m -> documented.add(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey())));
        Set<String> served = new TreeSet<>();
        Route.ALL.forEach(r -> served.add(r.method() + " " + r.openApiPath()));
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void everyOperation_declaresExactlyTheParametersItsHandlerReads() {
        for (Route r : Route.ALL) {
            List<String> path = new ArrayList<>();
            List<String> query = new ArrayList<>();
            for (JsonNode p : operation(r).path("parameters")) {
                JsonNode param = resolve(p);
                switch (param.get("in").asText()) {
                    case "path" -> {
                        assertThat(param.get("required").asBoolean()).as("%s {%s} is required", r.path(), param.get("name")).isTrue();
                        path.add(param.get("name").asText());
                    }
                    case "query" -> query.add(param.get("name").asText());
                    default -> { }
                }
            }
            assertThat(path).as("path parameters of %s", r.path()).isEqualTo(r.pathParams());
            assertThat(query).as("query parameters of %s", r.path()).containsExactlyInAnyOrderElementsOf(r.query());
        }
    }

    @Test
    void everyOperation_hasAUniqueIdAndResponses_andEveryReferenceResolves() {
        Set<String> ids = new HashSet<>();
        for (Route r : Route.ALL) {
            JsonNode op = operation(r);
            assertThat(ids.add(op.path("operationId").asText())).as("operationId of %s is unique", r.path()).isTrue();
            assertThat(op.path("summary").asText()).as("summary of %s", r.path()).isNotBlank();
            assertThat(op.path("responses").size()).as("responses of %s", r.path()).isPositive();
            for (Map.Entry<String, JsonNode> response : op.path("responses").properties()) {
                assertThat(response.getKey()).matches("[1-5][0-9][0-9]");
                resolve(response.getValue());
            }
        }
        checkRefs(doc);
    }

    @Test
    void stepStatus_documentsEveryStatusTheViewsDerive_inTheOrderObligationsGroupThem() {
        List<String> documented = new ArrayList<>();
        doc.at("/components/schemas/StepStatus/enum").forEach(n -> documented.add(n.asText()));
        List<String> grouped = AgreementApi.URGENCY.stream().map(Agreements.Status::label).toList();
        assertThat(documented).isEqualTo(grouped);
        assertThat(grouped).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(Agreements.Status.values()).map(Agreements.Status::label).toList());
    }

    private void checkRefs(JsonNode node) {
        if (node.has("$ref")) {
            resolve(node);
        }
        node.forEach(this::checkRefs);
    }
}
