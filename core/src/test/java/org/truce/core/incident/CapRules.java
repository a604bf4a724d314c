package org.truce.core.incident;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks a CAP 1.2 alert against the structure of the OASIS CAP 1.2 specification (§3.2): the
 * namespace, the order and multiplicity of the elements of {@code alert}, {@code info},
 * {@code parameter} and {@code area}, the closed value lists, the {@code sent} date-time form, the
 * characters CAP forbids in identifiers, {@code references} on updates, and the form of
 * {@code polygon} and {@code circle}.
 *
 * <p>No well-kept artifact on Maven Central was found to ship the OASIS CAP 1.2 XSD (Google's CAP
 * library is not published there), and the schema is not to be copied into this repository, so these
 * rules are checked here with DOM and XPath instead of {@code javax.xml.validation}.
 */
final class CapRules {
    /** One element of a schema sequence: its name and how often it may occur. */
    private record Slot(String name, int min, int max) {
        static Slot one(String name) {
            return new Slot(name, 1, 1);
        }

        static Slot optional(String name) {
            return new Slot(name, 0, 1);
        }

        static Slot many(String name, int min) {
            return new Slot(name, min, Integer.MAX_VALUE);
        }
    }

    private static final List<Slot> ALERT = List.of(Slot.one("identifier"), Slot.one("sender"), Slot.one("sent"),
            Slot.one("status"), Slot.one("msgType"), Slot.optional("source"), Slot.one("scope"),
            Slot.optional("restriction"), Slot.optional("addresses"), Slot.many("code", 0), Slot.optional("note"),
            Slot.optional("references"), Slot.optional("incidents"), Slot.many("info", 0));
    private static final List<Slot> INFO = List.of(Slot.optional("language"), Slot.many("category", 1),
            Slot.one("event"), Slot.many("responseType", 0), Slot.one("urgency"), Slot.one("severity"),
            Slot.one("certainty"), Slot.optional("audience"), Slot.many("eventCode", 0), Slot.optional("effective"),
            Slot.optional("onset"), Slot.optional("expires"), Slot.optional("senderName"), Slot.optional("headline"),
            Slot.optional("description"), Slot.optional("instruction"), Slot.optional("web"),
            Slot.optional("contact"), Slot.many("parameter", 0), Slot.many("resource", 0), Slot.many("area", 0));
    private static final List<Slot> PARAMETER = List.of(Slot.one("valueName"), Slot.one("value"));
    private static final List<Slot> AREA = List.of(Slot.one("areaDesc"), Slot.many("polygon", 0),
            Slot.many("circle", 0), Slot.many("geocode", 0), Slot.optional("altitude"), Slot.optional("ceiling"));

    private static final Pattern DATE_TIME =
            Pattern.compile("\\d\\d\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[-+]\\d\\d:\\d\\d");
    private static final Pattern TOKEN = Pattern.compile("[^\\s,<&]+");
    private static final String NUMBER = "-?\\d+(\\.\\d+)?";
    private static final Pattern PAIR = Pattern.compile("(" + NUMBER + "),(" + NUMBER + ")");

    private final List<String> problems = new ArrayList<>();
    private final XPath xpath = XPathFactory.newInstance().newXPath();

    private CapRules() {
        xpath.setNamespaceContext(new javax.xml.namespace.NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return "cap".equals(prefix) ? Cap.NAMESPACE : XMLConstants.NULL_NS_URI;
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public java.util.Iterator<String> getPrefixes(String uri) {
                return java.util.Collections.emptyIterator();
            }
        });
    }

    /** Parses UTF-8 XML text without DTDs or external entities. */
    static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** Returns every CAP 1.2 rule the alert breaks, each with where; empty if none. */
    static List<String> problems(String xml) {
        CapRules rules = new CapRules();
        rules.check(parse(xml));
        return rules.problems;
    }

    /** Evaluates an XPath expression with the prefix {@code cap} bound to the CAP 1.2 namespace. */
    static String text(String xml, String expression) {
        try {
            return new CapRules().xpath.evaluate(expression, parse(xml));
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(expression, e);
        }
    }

    private void check(Document document) {
        Element alert = document.getDocumentElement();
        if (!Cap.NAMESPACE.equals(alert.getNamespaceURI()) || !"alert".equals(alert.getLocalName())) {
            problems.add("root is {" + alert.getNamespaceURI() + "}" + alert.getLocalName() + ", not a CAP 1.2 alert");
            return;
        }
        sequence(alert, ALERT);
        token(alert, "cap:identifier");
        token(alert, "cap:sender");
        dateTime(alert, "cap:sent");
        oneOf(alert, "cap:status", Set.of("Actual", "Exercise", "System", "Test", "Draft"));
        oneOf(alert, "cap:msgType", Set.of("Alert", "Update", "Cancel", "Ack", "Error"));
        oneOf(alert, "cap:scope", Set.of("Public", "Restricted", "Private"));
        String msgType = value(alert, "cap:msgType");
        String references = value(alert, "cap:references");
        if (Set.of("Update", "Cancel", "Ack", "Error").contains(msgType) && references.isEmpty()) {
            problems.add("alert: msgType " + msgType + " needs references");
        }
        for (String reference : references.isBlank() ? new String[0] : references.trim().split("\\s+")) {
            String[] parts = reference.split(",", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !DATE_TIME.matcher(parts[2]).matches()) {
                problems.add("alert/references: '" + reference + "' is not sender,identifier,sent");
            }
        }
        for (Element info : children(alert, "info")) {
            info(info);
        }
    }

    private void info(Element info) {
        sequence(info, INFO);
        for (Element category : children(info, "category")) {
            oneOf(category, ".", Set.of("Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env",
                    "Transport", "Infra", "CBRNE", "Other"));
        }
        oneOf(info, "cap:urgency", Set.of("Immediate", "Expected", "Future", "Past", "Unknown"));
        oneOf(info, "cap:severity", Set.of("Extreme", "Severe", "Moderate", "Minor", "Unknown"));
        oneOf(info, "cap:certainty", Set.of("Observed", "Likely", "Possible", "Unlikely", "Unknown"));
        for (String time : List.of("cap:effective", "cap:onset", "cap:expires")) {
            if (!value(info, time).isEmpty()) {
                dateTime(info, time);
            }
        }
        String headline = value(info, "cap:headline");
        if (headline.codePointCount(0, headline.length()) > Cap.HEADLINE_LIMIT) {
            problems.add("info/headline: longer than " + Cap.HEADLINE_LIMIT + " characters");
        }
        children(info, "parameter").forEach(p -> sequence(p, PARAMETER));
        for (Element area : children(info, "area")) {
            sequence(area, AREA);
            children(area, "polygon").forEach(this::polygon);
            children(area, "circle").forEach(this::circle);
        }
    }

    private void polygon(Element polygon) {
        String[] pairs = polygon.getTextContent().trim().split("\\s+");
        if (pairs.length < 4) {
            problems.add("area/polygon: needs at least four pairs, has " + pairs.length);
        }
        if (!pairs[0].equals(pairs[pairs.length - 1])) {
            problems.add("area/polygon: first and last pairs differ");
        }
        for (String pair : pairs) {
            latLon("area/polygon", pair);
        }
    }

    private void circle(Element circle) {
        String[] parts = circle.getTextContent().trim().split("\\s+");
        if (parts.length != 2 || !parts[1].matches("\\d+(\\.\\d+)?")) {
            problems.add("area/circle: '" + circle.getTextContent() + "' is not 'lat,lon radius'");
            return;
        }
        latLon("area/circle", parts[0]);
    }

    private void latLon(String where, String pair) {
        var m = PAIR.matcher(pair);
        if (!m.matches()) {
            problems.add(where + ": '" + pair + "' is not 'lat,lon'");
            return;
        }
        double lat = Double.parseDouble(m.group(1));
        double lon = Double.parseDouble(m.group(3));
        if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
            problems.add(where + ": '" + pair + "' is out of range for latitude,longitude");
        }
    }

    /** Checks that the element's children are exactly the CAP elements of {@code slots}, in order. */
    private void sequence(Element parent, List<Slot> slots) {
        List<String> names = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                if (!Cap.NAMESPACE.equals(n.getNamespaceURI())) {
                    problems.add(parent.getLocalName() + ": child " + n.getNodeName() + " is not in the CAP namespace");
                }
                names.add(n.getLocalName());
            } else if (n.getNodeType() == Node.TEXT_NODE && !n.getTextContent().isBlank()) {
                problems.add(parent.getLocalName() + ": has text outside its elements");
            }
        }
        int i = 0;
        for (Slot slot : slots) {
            int count = 0;
            while (i < names.size() && names.get(i).equals(slot.name()) && count < slot.max()) {
                i++;
                count++;
            }
            if (count < slot.min()) {
                problems.add(parent.getLocalName() + ": " + slot.name() + " missing or out of order in " + names);
            }
        }
        if (i < names.size()) {
            problems.add(parent.getLocalName() + ": unexpected " + names.get(i) + " in " + names);
        }
    }

    private void token(Element parent, String expression) {
        String value = value(parent, expression);
        if (!TOKEN.matcher(value).matches()) {
            problems.add(expression + ": '" + value + "' is empty or holds spaces, commas, < or &");
        }
    }

    private void dateTime(Element parent, String expression) {
        String value = value(parent, expression);
        if (!DATE_TIME.matcher(value).matches()) {
            problems.add(expression + ": '" + value + "' is not a CAP date-time");
        }
    }

    private void oneOf(Element parent, String expression, Set<String> allowed) {
        String value = value(parent, expression);
        if (!allowed.contains(value)) {
            problems.add(parent.getLocalName() + "/" + expression + ": '" + value + "' is not one of " + allowed);
        }
    }

    private String value(Node context, String expression) {
        try {
            return xpath.evaluate(expression, context);
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(expression, e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList all = parent.getElementsByTagNameNS(Cap.NAMESPACE, name);
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i).getParentNode() == parent) {
                out.add((Element) all.item(i));
            }
        }
        return out;
    }
}
