package org.truce.core.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes markup that is well-formed XML and, in HTML mode, also valid HTML5 syntax, escaping every text
 * and attribute value it is given. Not thread-safe: one instance builds one document.
 */
final class Markup {
    /** HTML elements that never have content; every other HTML element gets an explicit end tag. */
    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input",
            "link", "meta", "source", "track", "wbr");

    private final StringBuilder out = new StringBuilder(8192);
    private final Deque<String> open = new ArrayDeque<>();
    private final boolean html;
    private boolean inStartTag;

    private Markup(boolean html) {
        this.html = html;
    }

    /** A writer for HTML5 in its XML-compatible form: void elements closed with {@code />}, others with an end tag. */
    static Markup html() {
        return new Markup(true);
    }

    /** A writer for XML such as SVG, where an element without content is written as {@code <name/>}. */
    static Markup xml() {
        return new Markup(false);
    }

    /**
     * Opens an element; {@code attributes} alternate name and value, and a {@code null} value leaves that
     * attribute out.
     */
    Markup start(String name, @Nullable String... attributes) {
        closeStartTag();
        out.append('<').append(name);
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name and value pairs: " + name);
        }
        for (int i = 0; i < attributes.length; i += 2) {
            String value = attributes[i + 1];
            if (value != null) {
                out.append(' ').append(attributes[i]).append("=\"");
                escape(value, true);
                out.append('"');
            }
        }
        open.push(name);
        inStartTag = true;
        return this;
    }

    /** Closes the innermost open element. */
    Markup end() {
        String name = open.pop();
        if (inStartTag) {
            inStartTag = false;
            if (!html || VOID.contains(name)) {
                out.append("/>");
                return this;
            }
            out.append('>');
        } else if (html && VOID.contains(name)) {
            throw new IllegalStateException("a void element has content: " + name);
        }
        out.append("</").append(name).append('>');
        return this;
    }

    /** Writes an element holding only {@code text}. */
    Markup element(String name, String text, @Nullable String... attributes) {
        return start(name, attributes).text(text).end();
    }

    /** Writes an element without content. */
    Markup empty(String name, @Nullable String... attributes) {
        return start(name, attributes).end();
    }

    /** Writes text, escaped. */
    Markup text(String text) {
        closeStartTag();
        escape(text, false);
        return this;
    }

    /**
     * Writes markup as it is. The caller MUST pass only markup this package produced from constants or
     * through another {@code Markup}, never text from the report.
     */
    Markup trusted(String markup) {
        closeStartTag();
        out.append(markup);
        return this;
    }

    /** Writes a line break between elements, to keep the source readable. */
    Markup newline() {
        closeStartTag();
        out.append('\n');
        return this;
    }

    /** The markup written; every element MUST have been closed. */
    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("elements left open: " + open);
        }
        return out.toString();
    }

    private void closeStartTag() {
        if (inStartTag) {
            out.append('>');
            inStartTag = false;
        }
    }

    /**
     * Escapes the markup characters, and replaces what XML 1.0 cannot hold (control characters, lone
     * surrogates, U+FFFE and U+FFFF) with U+FFFD so that hostile text cannot make the output malformed.
     */
    private void escape(String s, boolean attribute) {
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                case '\r' -> out.append("&#13;");
                default -> {
                    boolean allowed = c >= 0x20 && c != 0xFFFE && c != 0xFFFF
                            && !(c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)
                            && !(c >= 0x7F && c <= 0x9F);
                    out.appendCodePoint(allowed ? c : 0xFFFD);
                }
            }
        }
    }
}
