package org.truce.core.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;

/**
 * Writes an incident view document as one OASIS CAP 1.2 {@code <alert>} message, for the parties
 * notified of an incident that touches their sites or movements.
 *
 * <p>Each version of an incident is its own alert, {@code truce-<id>-v<version>}. A later version is
 * sent as an {@code Update} that references the earlier alert only when the input names it in a
 * {@code "previous": {"identifier": ..., "sent": ...}} member, because CAP's {@code references} needs
 * the earlier {@code sent} time, which the incident alone does not carry; otherwise it is an
 * {@code Alert}. The description keeps every party's account side by side and attributed: the
 * summary, then one line per claim ({@code <by> (<stance>): <statement>}), then the current finding.
 *
 * <p>All text is written through {@link XMLStreamWriter}, which escapes markup; characters that XML
 * 1.0 cannot carry at all are replaced by U+FFFD. The writer is stateless and safe to use from any
 * thread.
 */
public final class Cap {
    /** The CAP 1.2 XML namespace. */
    public static final String NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2";

    /** The longest headline CAP recommends, in characters. */
    public static final int HEADLINE_LIMIT = 160;

    private static final DateTimeFormatter CAP_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'-00:00'");

    private static final Map<String, String> CERTAINTY = Map.of(
            "observed", "Observed", "likely", "Likely", "possible", "Possible", "unlikely", "Unlikely");

    private Cap() {
    }

    /**
     * Returns the UTF-8 XML text of one CAP 1.2 alert for {@code incident}.
     *
     * @param sender the CAP sender, an identifier without spaces, commas, {@code <} or {@code &}
     * @param senderName the human-readable name of the sending organisation
     * @throws IllegalArgumentException if the sender or the incident's id is not a valid CAP token,
     *     {@code at} is not a date-time, or the location is neither a point nor a polygon
     */
    public static String alert(ObjectNode incident, String sender, String senderName) {
        requireToken("sender", sender);
        String id = required(incident, "id");
        int version = incident.path("version").asInt(1);
        String identifier = identifier(id, version);
        requireToken("identifier", identifier);
        String sent = capTime(required(incident, "at"));
        @Nullable String references = references(incident, version, sender);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newDefaultFactory()
                    .createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            w.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            w.setDefaultNamespace(NAMESPACE);
            w.writeStartElement(NAMESPACE, "alert");
            w.writeDefaultNamespace(NAMESPACE);
            element(w, "identifier", identifier);
            element(w, "sender", sender);
            element(w, "sent", sent);
            element(w, "status", "Actual");
            element(w, "msgType", references == null ? "Alert" : "Update");
            JsonNode visibility = incident.path("visibility");
            boolean restricted = !visibility.isMissingNode() && !"public".equals(visibility.asText());
            element(w, "scope", restricted ? "Restricted" : "Public");
            if (restricted) {
                element(w, "restriction", visibility.isArray() ? "for the parties " + join(visibility)
                        : "for the registered parties of the truce");
            }
            if (references != null) {
                element(w, "references", references);
            }
            element(w, "incidents", id);
            info(w, incident, senderName);
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to memory failed", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }

    /** Returns the alert identifier of one version of an incident. */
    public static String identifier(String incidentId, int version) {
        return "truce-" + incidentId + "-v" + version;
    }

    private static void info(XMLStreamWriter w, ObjectNode incident, String senderName) throws XMLStreamException {
        w.writeStartElement(NAMESPACE, "info");
        element(w, "language", "en");
        element(w, "category", "Security");
        JsonNode type = incident.path("type");
        element(w, "event", type.path("subEvent").asText(type.path("event").asText("Incident")));
        element(w, "urgency", "Past");
        element(w, "severity", severity(incident.path("casualties")));
        element(w, "certainty", certainty(incident.path("assessments")));
        element(w, "senderName", senderName);
        String title = incident.path("title").asText("");
        if (!title.isEmpty()) {
            element(w, "headline", headline(title));
        }
        String description = description(incident);
        if (!description.isEmpty()) {
            element(w, "description", description);
        }
        for (String kind : List.of("site", "movement")) {
            for (JsonNode slug : incident.path(kind + "s")) {
                parameter(w, kind, slug.asText());
            }
        }
        if (incident.path("entry").isTextual()) {
            parameter(w, "entry", incident.get("entry").asText());
        }
        area(w, incident);
        w.writeEndElement();
    }

    private static void parameter(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement(NAMESPACE, "parameter");
        element(w, "valueName", name);
        element(w, "value", value);
        w.writeEndElement();
    }

    private static void area(XMLStreamWriter w, ObjectNode incident) throws XMLStreamException {
        JsonNode location = incident.path("location");
        w.writeStartElement(NAMESPACE, "area");
        element(w, "areaDesc", areaDesc(location, incident.path("id").asText()));
        if (location.has("point")) {
            element(w, "circle", pair(location.get("point")) + " 0");
        } else if (location.path("polygon").path(0).isArray()) {
            element(w, "polygon", polygon(location.get("polygon").get(0)));
        } else {
            throw new IllegalArgumentException("incident has neither a point nor a polygon");
        }
        w.writeEndElement();
    }

    /** Names the place from the most to the least specific: place, admin3 to admin1, country. */
    private static String areaDesc(JsonNode location, String id) {
        List<String> names = new ArrayList<>();
        for (String field : List.of("place", "admin3", "admin2", "admin1", "country")) {
            String name = location.path(field).asText("").strip();
            if (!name.isEmpty() && !names.contains(name)) {
                names.add(name);
            }
        }
        return names.isEmpty() ? "Location of incident " + id : String.join(", ", names);
    }

    /** Writes a GeoJSON-ordered [lon, lat] position as CAP's latitude-first "lat,lon". */
    private static String pair(JsonNode position) {
        if (!position.isArray() || position.size() != 2 || !position.get(0).isNumber()
                || !position.get(1).isNumber()) {
            throw new IllegalArgumentException("a position must be [longitude, latitude]");
        }
        double lon = position.get(0).asDouble();
        double lat = position.get(1).asDouble();
        if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("position out of range: [" + lon + ", " + lat + "]");
        }
        return GeoJson.round(lat).toPlainString() + "," + GeoJson.round(lon).toPlainString();
    }

    private static String polygon(JsonNode ring) {
        List<String> pairs = new ArrayList<>();
        for (JsonNode position : ring) {
            pairs.add(pair(position));
        }
        if (!pairs.isEmpty() && !pairs.get(0).equals(pairs.get(pairs.size() - 1))) {
            pairs.add(pairs.get(0));
        }
        if (pairs.size() < 4) {
            throw new IllegalArgumentException("a CAP polygon needs at least four coordinate pairs");
        }
        return String.join(" ", pairs);
    }

    /** Extreme if anyone was killed, else Severe if anyone was injured, else Moderate. */
    static String severity(JsonNode casualties) {
        if (count(casualties.path("killed")) >= 1) {
            return "Extreme";
        }
        return count(casualties.path("injured")) >= 1 ? "Severe" : "Moderate";
    }

    /** The best estimate, or the low one when there is no best: a count nobody disputes downwards. */
    private static long count(JsonNode estimate) {
        JsonNode best = estimate.path("best");
        return best.isNumber() ? best.asLong() : estimate.path("low").asLong(0);
    }

    /** Maps the last (current) assessment's certainty to CAP's, {@code Unknown} when there is none. */
    static String certainty(JsonNode assessments) {
        if (!assessments.isArray() || assessments.isEmpty()) {
            return "Unknown";
        }
        String current = assessments.get(assessments.size() - 1).path("certainty").asText("");
        return CERTAINTY.getOrDefault(current, "Unknown");
    }

    /** Cuts a headline longer than {@link #HEADLINE_LIMIT} characters, ending it with an ellipsis. */
    static String headline(String title) {
        String clean = xmlSafe(title.strip());
        if (clean.codePointCount(0, clean.length()) <= HEADLINE_LIMIT) {
            return clean;
        }
        int end = clean.offsetByCodePoints(0, HEADLINE_LIMIT - 1);
        return clean.substring(0, end).stripTrailing() + "\u2026";
    }

    private static String description(ObjectNode incident) {
        List<String> lines = new ArrayList<>();
        String summary = incident.path("summary").asText("").strip();
        if (!summary.isEmpty()) {
            lines.add(summary);
        }
        for (JsonNode claim : incident.path("claims")) {
            StringBuilder line = new StringBuilder(claim.path("by").asText("unknown"))
                    .append(" (").append(claim.path("stance").asText("unknown"));
            JsonNode perpetrator = claim.path("perpetrator");
            if (perpetrator.has("actor")) {
                line.append("; perpetrator: actor ").append(perpetrator.get("actor").asText());
            } else if (perpetrator.has("party")) {
                line.append("; perpetrator: party ").append(perpetrator.get("party").asText());
            }
            line.append(')');
            String statement = claim.path("statement").asText("").strip();
            if (!statement.isEmpty()) {
                line.append(": ").append(statement);
            }
            lines.add(line.toString());
        }
        JsonNode assessments = incident.path("assessments");
        if (assessments.isArray() && !assessments.isEmpty()) {
            JsonNode current = assessments.get(assessments.size() - 1);
            String finding = current.path("finding").asText("").strip();
            lines.add(current.path("by").asText("unknown") + " assessment ("
                    + current.path("certainty").asText("unknown") + ")" + (finding.isEmpty() ? "" : ": " + finding));
        }
        return String.join("\n", lines);
    }

    private static @Nullable String references(ObjectNode incident, int version, String sender) {
        JsonNode previous = incident.path("previous");
        JsonNode versions = incident.path("versions");
        if (!previous.isObject() && versions.size() >= 2) {
            JsonNode p = versions.get(versions.size() - 2);
            previous = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("identifier", identifier(incident.path("id").asText(), p.path("version").asInt(version - 1)))
                    .put("sent", p.path("at").asText());
        }
        if (version <= 1 || !previous.path("identifier").isTextual() || !previous.path("sent").isTextual()) {
            return null;
        }
        String identifier = previous.get("identifier").asText();
        requireToken("previous identifier", identifier);
        return sender + "," + identifier + "," + capTime(previous.get("sent").asText());
    }

    /** Converts an RFC 3339 date-time to CAP's form: UTC as {@code -00:00}, whole seconds. */
    static String capTime(String rfc3339) {
        try {
            return OffsetDateTime.parse(rfc3339).toInstant().truncatedTo(ChronoUnit.SECONDS)
                    .atOffset(ZoneOffset.UTC).format(CAP_TIME);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date-time: " + rfc3339, e);
        }
    }

    private static String required(JsonNode incident, String name) {
        JsonNode value = incident.path(name);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("incident has no " + name);
        }
        return value.asText();
    }

    /** CAP forbids spaces, commas and the restricted characters {@code <} and {@code &} in these. */
    private static void requireToken(String what, String value) {
        if (value.isEmpty() || !value.codePoints().allMatch(c -> c > ' ' && c != ',' && c != '<' && c != '&')) {
            throw new IllegalArgumentException(what + " must not be empty nor hold spaces, commas, < or &");
        }
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(NAMESPACE, name);
        w.writeCharacters(xmlSafe(text));
        w.writeEndElement();
    }

    /** Replaces every code point that XML 1.0 cannot carry, and lone surrogates, with U+FFFD. */
    static String xmlSafe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            out.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return out.toString();
    }
}
