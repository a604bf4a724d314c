package org.truce.core.area;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.truce.core.access.Reader;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.Intersection;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Who was declared where: the declarations in force at a moment whose areas meet a footprint, each
 * marked disputed when another in force at that moment names a different actor as controlling an area
 * that meets it. Only declarations the reader may see are returned or counted.
 */
public final class Areas {
    static final int MAX_DECLARATIONS = 100_000;

    private final StateView state;

    public Areas(StateView state) {
        this.state = state;
    }

    /** A declaration's period as [from, to): until {@link Instant#MAX} when it names no end. */
    public static Instant[] period(JsonNode d) {
        return new Instant[] {Instant.parse(d.get("from").textValue()),
            d.has("to") ? Instant.parse(d.get("to").textValue()) : Instant.MAX};
    }

    /** Whether a declaration is in force at {@code t}: from its start, until its end if it has one. */
    static boolean inForce(JsonNode d, Instant t) {
        Instant[] p = period(d);
        return !p[0].isAfter(t) && p[1].isAfter(t);
    }

    static Footprint footprint(JsonNode d) {
        return org.truce.core.geo.Footprints.stored(d.get("footprint"));
    }

    /** The declarations in force at {@code t} whose areas meet {@code where}, in id order. */
    public List<ObjectNode> at(Reader reader, Footprint where, Instant t) {
        List<Doc> live = new ArrayList<>();
        for (Doc d : state.findAll(AreaRules.AREAS, "all", MAX_DECLARATIONS)) {
            if (reader.mayRead(d) && inForce(d.body(), t)) {
                live.add(d);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Doc d : live) {
            Footprint f = footprint(d.body());
            if (!Intersection.meets(where, f)) {
                continue;
            }
            ObjectNode v = d.body();
            List<String> disputedBy = new ArrayList<>();
            if (v.get("claim").textValue().equals("control")) {
                for (Doc o : live) {
                    JsonNode ob = o.body();
                    if (o != d && ob.get("claim").textValue().equals("control")
                            && !ob.get("actor").textValue().equals(v.get("actor").textValue()) && Intersection.meets(f, footprint(ob))) {
                        disputedBy.add(o.id());
                    }
                }
            }
            v.put("disputed", !disputedBy.isEmpty());
            v.putArray("disputedBy").addAll(disputedBy.stream().map(v::textNode).toList());
            out.add(v);
        }
        return out;
    }
}
