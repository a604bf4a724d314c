package org.truce.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.entry.Visibility;

class OverlayTest {
    private static Doc doc(String id, long index, String... keys) {
        return new Doc("volume", id, JsonNodeFactory.instance.objectNode().put("n", index), List.of(keys), Visibility.PUBLIC,
                "us", index);
    }

    /** Ids of the documents {@code view} lists in log order, in pages of {@code pageSize}. */
    private static List<String> inLogOrder(StateView view, int pageSize) {
        List<String> out = new ArrayList<>();
        long index = -1;
        String id = "";
        while (true) {
            List<Doc> page = view.inLogOrder("volume", index, id, pageSize);
            page.forEach(d -> out.add(d.id()));
            if (page.size() < pageSize) {
                return out;
            }
            index = page.get(page.size() - 1).index();
            id = page.get(page.size() - 1).id();
        }
    }

    // ---- inLogOrder ----

    @Test
    void inLogOrder_pendingOverBase_listsEachLiveDocumentOnceAtItsLastIndex() {
        Overlay base = new Overlay(TestLog.EMPTY);
        base.apply(List.of(new Change.Put(doc("c", 1, "all")), new Change.Put(doc("a", 2)), new Change.Put(doc("b", 2, "all")),
                new Change.Put(doc("d", 3, "all")), new Change.Put(new Doc("other", "x", JsonNodeFactory.instance.objectNode(),
                        List.of("all"), Visibility.PUBLIC, "us", 2))));
        Overlay top = new Overlay(base);
        top.apply(List.of(new Change.Put(doc("c", 4)), new Change.Delete("volume", "d"), new Change.Put(doc("e", 4, "all"))));
        for (int pageSize : new int[] {1, 2, 3, 100}) {
            assertThat(inLogOrder(base, pageSize)).as("base, pages of %d", pageSize).containsExactly("c", "a", "b", "d");
            assertThat(inLogOrder(top, pageSize)).as("pages of %d", pageSize).containsExactly("a", "b", "c", "e");
        }
        assertThat(top.inLogOrder("volume", 2, "a", 10)).extracting(Doc::id).containsExactly("b", "c", "e");
        assertThat(top.inLogOrder("volume", 4, "c", 10)).extracting(Doc::id).containsExactly("e");
        assertThat(top.findInLogOrder("volume", "all", -1, "", 10)).as("by key, for comparison").extracting(Doc::id)
                .containsExactly("b", "e");
    }
}
