package org.truce.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.truce.core.json.Json;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** Sample reports for the tests, and XML helpers to read what the view wrote. */
final class Reports {
    /** A report over all regions, with three regions, three types, two parties and two incidents. */
    static final String SAMPLE = """
            {
              "date": "2016-09-19",
              "region": null,
              "since": "2016-09-12",
              "log": {"size": 1234, "root": "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="},
              "totals": {"day": 12, "previousDay": 7, "cumulative": 80},
              "byRegion": [
                {"region": "Aleppo", "day": 5, "previousDay": 2, "cumulative": 30},
                {"region": "Rif Dimashq", "day": 4, "previousDay": 4, "cumulative": 29},
                {"region": "Idlib", "day": 3, "previousDay": 1, "cumulative": 21}
              ],
              "byType": [
                {"event": "Explosions/Remote violence", "subEvent": "Air/drone strike", "day": 6, "previousDay": 1, "cumulative": 33},
                {"event": "Battles", "subEvent": "Armed clash", "day": 4, "previousDay": 5, "cumulative": 40},
                {"event": "Explosions/Remote violence", "subEvent": "Shelling/artillery/missile attack", "day": 2, "previousDay": 1, "cumulative": 7}
              ],
              "parties": [
                {"party": "ru", "name": "Russian Federation",
                 "day": {"recorded": 3, "alleges": 2, "denies": 1, "acknowledges": 0, "alternative": 0, "cannotConfirm": 1},
                 "cumulative": {"recorded": 20, "alleges": 15, "denies": 4, "acknowledges": 1, "alternative": 0, "cannotConfirm": 6}},
                {"party": "us", "name": "United States",
                 "day": {"recorded": 4, "alleges": 3, "denies": 0, "acknowledges": 1, "alternative": 2, "cannotConfirm": 5},
                 "cumulative": {"recorded": 25, "alleges": 18, "denies": 2, "acknowledges": 3, "alternative": 7, "cannotConfirm": 9}}
              ],
              "incidents": [
                {"id": "urum-al-kubra-convoy", "title": "Aid convoy struck near Urum al-Kubra",
                 "from": "2016-09-19T17:00:00Z", "to": "2016-09-19T19:30:00Z", "region": "Aleppo",
                 "place": "Urum al-Kubra", "event": "Explosions/Remote violence", "subEvent": "Air/drone strike",
                 "killed": 14, "injured": null, "contested": true, "claims": 3, "certainty": "likely"},
                {"id": "idlib-clash-0919", "title": "Exchange of fire north of Idlib",
                 "from": "2016-09-19T06:10:00Z", "to": null, "region": "Idlib", "place": null,
                 "event": "Battles", "subEvent": "Armed clash",
                 "killed": null, "injured": 2, "contested": false, "claims": 1, "certainty": null}
              ]
            }
            """;

    private Reports() {}

    static ObjectNode sample() {
        return parse(SAMPLE);
    }

    /** A report limited to one region, with no incidents on either day. */
    static ObjectNode empty() {
        ObjectNode r = sample();
        r.put("region", "Aleppo");
        r.putObject("totals").put("day", 0).put("previousDay", 0).put("cumulative", 30);
        r.putArray("byRegion");
        r.putArray("byType");
        r.putArray("parties");
        r.putArray("incidents");
        return r;
    }

    /** A count row of the shape of {@code byRegion} and {@code byType}. */
    static ObjectNode counts(ObjectNode row, long day, long previousDay, long cumulative) {
        return row.put("day", day).put("previousDay", previousDay).put("cumulative", cumulative);
    }

    static ArrayNode array(ObjectNode report, String field) {
        return (ArrayNode) report.get(field);
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** Parses markup with the JDK's XML parser, failing the test if it is not well-formed. */
    static Document xml(String markup) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // Without namespaces, XPath can name elements plainly (//g, //td) and xmlns is an attribute.
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(markup)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + markup, e);
        }
    }

    /** The elements an XPath expression selects. */
    static List<Element> select(Node context, String xpath) {
        try {
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath()
                    .evaluate(xpath, context, XPathConstants.NODESET);
            List<Element> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                out.add((Element) nodes.item(i));
            }
            return out;
        } catch (XPathExpressionException e) {
            throw new AssertionError(e);
        }
    }

    /** The one element an XPath expression selects. */
    static Element one(Node context, String xpath) {
        List<Element> all = select(context, xpath);
        if (all.size() != 1) {
            throw new AssertionError(all.size() + " elements match " + xpath);
        }
        return all.get(0);
    }

    /** An element's text without the text of its {@code title} children, which is not displayed. */
    static String shown(Element e) {
        StringBuilder s = new StringBuilder();
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeType() == Node.TEXT_NODE) {
                s.append(c.getNodeValue());
            } else if (c instanceof Element child && !child.getTagName().equals("title")) {
                s.append(shown(child));
            }
        }
        return s.toString();
    }

    /** The displayed text of each element. */
    static List<String> shown(List<Element> elements) {
        return elements.stream().map(Reports::shown).toList();
    }
}
