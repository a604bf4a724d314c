package org.truce.core.entry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.truce.core.json.Json;
import org.truce.tlog.tiles.EntryBundle;

/**
 * The bytes a log leaf holds: {@code JCS({"entry": <signed header>, "received": <server time>})}. The
 * author asserts {@code at}; the operator asserts {@code received}.
 */
public final class Leaf {
    private Leaf() {}

    public static byte[] encode(EntryHeader header, Instant received) {
        if (header.sig() == null) {
            throw new IllegalArgumentException("only signed headers are logged");
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("entry", header.toJson(true));
        o.put("received", EntryHeader.formatTime(received));
        byte[] leaf = Json.canonical(o);
        if (leaf.length > EntryBundle.MAX_ENTRY_SIZE) {
            throw new IllegalArgumentException("leaf is " + leaf.length + " bytes; the log takes at most "
                    + EntryBundle.MAX_ENTRY_SIZE);
        }
        return leaf;
    }
}
