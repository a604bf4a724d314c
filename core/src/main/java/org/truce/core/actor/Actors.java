package org.truce.core.actor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.truce.core.access.Reader;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Read views of the actor registry: an actor with its names and statuses over time, its name and
 * status at a moment, and the lookup of an actor by any name it has had. Everything returned has
 * passed the visibility filter for the reader.
 */
public final class Actors {
    /** The most names or status changes loaded for one actor. */
    static final int MAX_HISTORY = 10_000;

    private final StateView state;

    public Actors(StateView state) {
        this.state = state;
    }

    /** The ids of every actor the reader may see, in id order. */
    public List<String> ids(Reader reader) {
        return state.findAll(ActorRules.ACTORS, "all", 100_000).stream().filter(reader::mayRead).map(Doc::id).toList();
    }

    /**
     * The actor as of {@code at}: its registration, every name and status change recorded by then
     * (oldest first), and the name and status in force at {@code at}.
     */
    public Optional<ObjectNode> get(Reader reader, String id, Instant at) {
        Optional<Doc> d = state.get(ActorRules.ACTORS, id).filter(reader::mayRead);
        if (d.isEmpty() || Instant.parse(d.get().body().get("at").textValue()).isAfter(at)) {
            return Optional.empty();
        }
        ObjectNode a = d.get().body();
        List<ObjectNode> names = history(reader, ActorRules.NAMES, id, at);
        List<ObjectNode> statuses = history(reader, ActorRules.STATUSES, id, at);
        String current = a.get("name").textValue();
        Set<String> aliases = new LinkedHashSet<>();
        a.path("aliases").forEach(n -> aliases.add(n.textValue()));
        for (ObjectNode n : names) {
            if (n.get("change").textValue().equals("renamed")) {
                aliases.add(current);
                current = n.get("name").textValue();
            } else {
                aliases.add(n.get("name").textValue());
            }
        }
        aliases.remove(current);
        a.put("currentName", current);
        ArrayNode al = a.putArray("knownAs");
        aliases.forEach(al::add);
        a.putArray("names").addAll(names);
        a.putArray("statuses").addAll(statuses);
        a.put("status", statuses.isEmpty() ? "unknown" : statuses.get(statuses.size() - 1).get("status").textValue());
        return Optional.of(a);
    }

    /** The actors that have had {@code name} (as their name, an alias or a former name), in id order. */
    public List<String> named(Reader reader, String name) {
        Set<String> ids = new java.util.TreeSet<>();
        String key = ActorRules.nameKey(name);
        state.findAll(ActorRules.ACTORS, key, MAX_HISTORY).stream().filter(reader::mayRead).forEach(d -> ids.add(d.id()));
        state.findAll(ActorRules.NAMES, key, MAX_HISTORY).stream().filter(reader::mayRead)
                .forEach(d -> ids.add(d.body().get("actor").textValue()));
        return List.copyOf(ids);
    }

    /**
     * The changes of one kind recorded for an actor that were in force by {@code at}, in the order
     * they took effect ({@code from}, else when they were written), then log order.
     */
    private List<ObjectNode> history(Reader reader, String collection, String id, Instant at) {
        List<ObjectNode> out = new ArrayList<>();
        for (Doc d : state.findAll(collection, ActorRules.actorKey(id), MAX_HISTORY)) {
            if (reader.mayRead(d) && !effective(d.body()).isAfter(at) && !written(d.body()).isAfter(at)) {
                out.add(d.body());
            }
        }
        out.sort(Comparator.comparing(Actors::effective).thenComparingLong(b -> b.get("index").asLong()));
        return out;
    }

    private static Instant effective(JsonNode b) {
        return b.has("from") ? Instant.parse(b.get("from").textValue()) : written(b);
    }

    private static Instant written(JsonNode b) {
        return Instant.parse(b.get("at").textValue());
    }
}
