package org.truce.tlog.note;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.FormatException;

/** A set of known verifier keys, looked up by key name and key ID. Immutable and thread-safe. */
public final class Verifiers {
    private final Map<String, Verifier> byNameAndId;

    private Verifiers(Map<String, Verifier> map) {
        this.byNameAndId = Map.copyOf(map);
    }

    public static Verifiers of(Verifier... verifiers) {
        return of(List.of(verifiers));
    }

    public static Verifiers of(List<Verifier> verifiers) {
        Map<String, Verifier> map = new HashMap<>();
        for (Verifier v : verifiers) {
            if (map.put(key(v.name(), v.keyId()), v) != null) {
                throw new IllegalArgumentException("two verifiers share name and key ID: " + v.vkey());
            }
        }
        return new Verifiers(map);
    }

    /** Parses untrusted vkey strings; two keys with the same name and key ID are a format error. */
    public static Verifiers parse(List<String> vkeys) throws FormatException {
        List<Verifier> list = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String k : vkeys) {
            Verifier v = NoteKeys.parseVerifier(k);
            if (!seen.add(key(v.name(), v.keyId()))) {
                throw new FormatException("two verifier keys share name and key ID: " + v.vkey());
            }
            list.add(v);
        }
        return of(list);
    }

    /** The verifier with this name and key ID, or null. */
    public @Nullable Verifier find(String name, int keyId) {
        return byNameAndId.get(key(name, keyId));
    }

    public List<Verifier> all() {
        return List.copyOf(byNameAndId.values());
    }

    private static String key(String name, int id) {
        return name + "+" + NoteKeys.hex(id);
    }
}
