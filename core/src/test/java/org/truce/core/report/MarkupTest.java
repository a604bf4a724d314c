package org.truce.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkupTest {
    // ---- escaping ----

    @Test
    void text_markupCharacters_escaped() {
        assertThat(Markup.html().element("p", "a < b & c > \"d\" 'e'").toString())
                .isEqualTo("<p>a &lt; b &amp; c &gt; \"d\" 'e'</p>");
    }

    @Test
    void attribute_quotesAndNewlines_escaped() {
        assertThat(Markup.html().empty("meta", "content", "\"x\" & <y>\n").toString())
                .isEqualTo("<meta content=\"&quot;x&quot; &amp; &lt;y&gt;&#10;\"/>");
    }

    @Test
    void attribute_nullValue_leftOut() {
        assertThat(Markup.xml().empty("rect", "x", "1", "title", null).toString()).isEqualTo("<rect x=\"1\"/>");
    }

    @Test
    void text_charactersXmlCannotHold_replaced() {
        assertThat(Markup.xml().element("t", "a\u0001b\u0085c\ufffed\udc00e\uD83D\uDE00").toString())
                .isEqualTo("<t>a\ufffdb\ufffdc\ufffdd\ufffde\uD83D\uDE00</t>");
    }

    // ---- empty elements ----

    @Test
    void html_emptyNonVoidElement_hasEndTag() {
        assertThat(Markup.html().empty("td").empty("br").toString()).isEqualTo("<td></td><br/>");
    }

    @Test
    void xml_emptyElement_selfClosed() {
        assertThat(Markup.xml().empty("g").toString()).isEqualTo("<g/>");
    }

    @Test
    void toString_elementLeftOpen_refused() {
        Markup m = Markup.html().start("p");

        assertThatThrownBy(m::toString).isInstanceOf(IllegalStateException.class).hasMessageContaining("p");
    }
}
