package org.truce.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.obj;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.entry.Visibility;
import org.truce.core.geo.Footprint;
import org.truce.core.geo.Intersection;
import org.truce.core.notification.NotificationRules;
import org.truce.core.state.Change;
import org.truce.core.state.Derived;
import org.truce.core.state.Doc;
import org.truce.core.state.Memory;
import org.truce.core.state.Overlay;
import org.truce.core.state.StateView;

/**
 * The index never hides anything from a check: for random footprints of every type and size, around
 * Aleppo, across the antimeridian and near the pole, a check finds exactly the volumes that the exact
 * computation finds among every active volume, whether the index is built from the view, kept in memory
 * for the committed state and brought up to date, or has pending documents laid over it.
 */
class SpaceIndexTest {
    private static final Instant FROM = Instant.parse("2016-09-20T10:00:00Z");
    private static final Instant TO = Instant.parse("2016-09-20T12:00:00Z");
    private static final ObjectNode ALT = obj().put("lower", 0).put("upper", 3000).put("reference", "W84");

    static ObjectNode footprint(SplittableRandom rng, double lon, double lat) {
        ObjectNode f = obj();
        switch (rng.nextInt(3)) {
            case 0 -> {
                f.put("type", "circle").put("radius", 100 + rng.nextDouble() * 50_000);
                f.putArray("center").add(lon).add(lat);
            }
            case 1 -> {
                f.put("type", "corridor").put("halfWidth", 50 + rng.nextDouble() * 5_000);
                ArrayNode line = f.putArray("coordinates");
                double len = 0.05 + rng.nextDouble() * 0.9;
                double az = rng.nextDouble() * 2 * Math.PI;
                line.addArray().add(lon).add(lat);
                line.addArray().add(wrap(lon + len * Math.cos(az))).add(lat + len * Math.sin(az) / 2);
            }
            default -> {
                f.put("type", "polygon");
                double r = 0.02 + rng.nextDouble() * 0.5;
                ArrayNode ring = f.putArray("coordinates");
                for (int i = 0; i <= 5; i++) {
                    double a = 2 * Math.PI * (i % 5) / 5;
                    ring.addArray().add(wrap(lon + r * Math.cos(a))).add(lat + r * Math.sin(a));
                }
            }
        }
        return f;
    }

    private static double wrap(double lon) {
        return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
    }

    static double[] place(SplittableRandom rng) {
        return switch (rng.nextInt(10)) {
            case 0 -> new double[] {wrap(179.5 + rng.nextDouble()), -10 + rng.nextDouble()};
            case 1 -> new double[] {-180 + rng.nextDouble() * 360, 82 + rng.nextDouble() * 5};
            default -> new double[] {36 + rng.nextDouble() * 6, 34 + rng.nextDouble() * 5};
        };
    }

    /** What a check must find: every active volume the exact computation says the footprint meets. */
    private static TreeSet<String> exactly(List<Doc> active, Footprint f) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        for (Doc d : active) {
            if (Intersection.gap(f, NotificationRules.footprint(d.body().get("footprint"), "/f")) <= Intersection.TOLERANCE) {
                out.add(d.id());
            }
        }
        return out;
    }

    private static TreeSet<String> checked(StateView state, Footprint f) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        VolumeRules.meets(state, "query", f, ALT, FROM, TO).forEach(x -> out.add(x.id()));
        return out;
    }

    @Test
    void builtFromTheView_findsExactlyWhatTheExactComputationFinds() throws Exception {
        TestLog log = TestLog.started();
        SplittableRandom rng = new SplittableRandom(2016);
        for (int i = 0; i < 300; i++) {
            double[] p = place(rng);
            ObjectNode v = obj().put("id", "v" + i).put("state", "accepted");
            v.set("footprint", footprint(rng, p[0], p[1]));
            v.set("altitude", ALT);
            v.putObject("time").put("from", FROM.toString()).put("to", TO.toString());
            ArrayNode key = v.putArray("key");
            Footprint f = NotificationRules.footprint(v.get("footprint"), "/footprint");
            for (VolumeRules.Entity x : VolumeRules.meets(log.state(), "v" + i, f, ALT, FROM, TO)) {
                key.addObject().put("type", x.type()).put("id", x.id()).put("version", x.version());
            }
            log.submit(i % 2 == 0 ? log.us : log.ru, "volume", v, Visibility.PUBLIC);
        }
        List<Doc> all = log.state().findAll(VolumeRules.VOLUMES, "active", 1000);
        assertThat(all).hasSize(300);
        int withAny = 0;
        for (int q = 0; q < 300; q++) {
            double[] p = place(rng);
            Footprint f = NotificationRules.footprint(footprint(rng, p[0], p[1]), "/footprint");
            TreeSet<String> expected = exactly(all, f);
            assertThat(checked(log.state(), f)).as("query %d at %s", q, java.util.Arrays.toString(p)).isEqualTo(expected);
            withAny += expected.isEmpty() ? 0 : 1;
        }
        assertThat(withAny).as("the queries meet something often enough to test the index").isGreaterThan(30);
    }

    /**
     * A check's answer comes sorted by type, then id, as a string comparison sorts them: ids sharing
     * long prefixes, differing only beyond the eighth character, or holding characters beyond ASCII,
     * which the sort key does not separate and the ids themselves then must.
     */
    @Test
    void answers_sortByTypeThenId() {
        SplittableRandom rng = new SplittableRandom(8);
        org.truce.core.geo.Prepared dot = org.truce.core.geo.Prepared.of(new Footprint.Circle(new org.truce.core.geo.LonLat(36, 36), 10));
        String[] alphabet = {"a", "b", "v", "0", "9", "-", "é", "ā", "\u00ff", "\uffff", "z"};
        for (int round = 0; round < 50; round++) {
            List<SpaceIndex.Item> items = new ArrayList<>();
            int n = 1 + rng.nextInt(400);
            for (int i = 0; i < n; i++) {
                StringBuilder id = new StringBuilder(rng.nextBoolean() ? "v1000" : "");
                for (int c = rng.nextInt(12); c >= 0; c--) {
                    id.append(alphabet[rng.nextInt(alphabet.length)]);
                }
                items.add(new SpaceIndex.Item(rng.nextInt(4), id.toString(), "ver", FROM, TO, 0, 1, dot, null));
            }
            List<String> expected = new ArrayList<>(items.stream().map(i -> i.type + ":" + i.id).toList());
            java.util.Collections.sort(expected);
            List<String> sorted = java.util.Arrays.stream(SpaceIndex.sorted(items.toArray(SpaceIndex.Item[]::new), n))
                    .map(i -> i.type + ":" + i.id).toList();
            assertThat(sorted).isEqualTo(expected);
        }
    }

    /**
     * Windows beyond the years a block's records hold exactly (before 1685 or after 2255: open-ended
     * sites and areas, or checks far ahead) are decided on the items' own fields, and windows that
     * touch without overlapping do not meet.
     */
    @Test
    void windowsFarAheadOrTouching_areDecidedExactly() throws Exception {
        Overlay state = new Overlay(TestLog.EMPTY);
        String[][] windows = {
            {"2016-09-20T10:00:00Z", "2016-09-20T12:00:00Z"},
            {"2016-09-20T12:00:00Z", "2016-09-20T13:00:00Z"},
            {"2016-09-20T09:00:00.000000001Z", "2016-09-20T10:00:00.000000001Z"},
            {"2300-01-01T00:00:00Z", "2300-01-01T00:00:00.5Z"},
            {"1600-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z"},
            {"2300-01-01T00:00:00.5Z", "2300-01-02T00:00:00Z"},
        };
        List<Change> docs = new ArrayList<>();
        for (int i = 0; i < windows.length; i++) {
            ObjectNode b = obj().put("id", "v" + i).put("state", "activated").put("version", "ver" + i);
            b.set("footprint", obj().put("type", "circle").put("radius", 1000).set("center", obj().arrayNode().add(36.2).add(36.2)));
            b.set("altitude", ALT);
            b.putObject("time").put("from", windows[i][0]).put("to", windows[i][1]);
            docs.add(new Change.Put(new Doc(VolumeRules.VOLUMES, "v" + i, b, List.of("all", "active"), Visibility.PUBLIC, "us", i)));
        }
        state.apply(docs);
        Memory memory = new Memory();
        StateView view = new Committed(state, memory, 1);
        Footprint here = new Footprint.Circle(new org.truce.core.geo.LonLat(36.2, 36.2), 10);
        String[][] checks = {
            {"2016-09-20T10:00:00Z", "2016-09-20T12:00:00Z"},
            {"2016-09-20T10:00:00.000000001Z", "2016-09-20T10:00:00.000000002Z"},
            {"2300-01-01T00:00:00.25Z", "2300-01-01T00:00:00.5Z"},
            {"2300-01-01T00:00:00.5Z", "2300-01-01T00:00:01Z"},
            {"+999999999-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z"},
            {"-1000000000-01-01T00:00:00Z", "1500-01-01T00:00:00Z"},
        };
        for (String[] c : checks) {
            Instant from = Instant.parse(c[0]);
            Instant to = Instant.parse(c[1]);
            TreeSet<String> expected = new TreeSet<>();
            for (int i = 0; i < windows.length; i++) {
                if (Instant.parse(windows[i][0]).isBefore(to) && from.isBefore(Instant.parse(windows[i][1]))) {
                    expected.add("v" + i);
                }
            }
            TreeSet<String> found = new TreeSet<>();
            VolumeRules.meets(view, "query", here, ALT, from, to).forEach(x -> found.add(x.id()));
            assertThat(found).as("a check from %s to %s", from, to).isEqualTo(expected);
        }
    }

    /** A committed state as a store's transaction shows it: the memory, and its count of commits. */
    private static final class Committed implements StateView {
        private final StateView inner;
        private final Memory memory;
        private final long commits;

        Committed(StateView inner, Memory memory, long commits) {
            this.inner = inner;
            this.memory = memory;
            this.commits = commits;
        }

        @Override
        public Optional<Doc> get(String collection, String id) {
            return inner.get(collection, id);
        }

        @Override
        public List<Doc> find(String collection, String key, @Nullable String afterId, int limit) {
            return inner.find(collection, key, afterId, limit);
        }

        @Override
        public List<Doc> findInLogOrder(String collection, String key, long afterIndex, String afterId, int limit) {
            return inner.findInLogOrder(collection, key, afterIndex, afterId, limit);
        }

        @Override
        public List<Doc> inLogOrder(String collection, long afterIndex, String afterId, int limit) {
            return inner.inLogOrder(collection, afterIndex, afterId, limit);
        }

        @Override
        public Derived derived() {
            return Derived.committed(memory, commits, this);
        }
    }

    private static Doc volume(int id, long index, ObjectNode footprint, boolean active) {
        ObjectNode b = obj().put("id", "v" + id).put("state", active ? "activated" : "ended").put("version", "ver" + index);
        b.set("footprint", footprint);
        b.set("altitude", ALT);
        b.putObject("time").put("from", FROM.toString()).put("to", TO.toString());
        List<String> keys = active ? List.of("all", "active") : List.of("all");
        return new Doc(VolumeRules.VOLUMES, "v" + id, b, keys, Visibility.PUBLIC, "us", index);
    }

    /**
     * Kept in memory across commits: volumes written, rewritten and ended in later commits, and others
     * pending over the last one, are each seen as the state has them; what was pending in a view that
     * was never committed leaves nothing behind in memory.
     */
    @Test
    void keptInMemory_followsCommitsAndPendingDocuments() throws Exception {
        SplittableRandom rng = new SplittableRandom(17);
        Memory memory = new Memory();
        Overlay stored = new Overlay(TestLog.EMPTY);
        long index = 0;
        List<ObjectNode> shapes = new ArrayList<>();
        for (int round = 1; round <= 4; round++) {
            List<Change> commit = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                double[] p = place(rng);
                ObjectNode f = footprint(rng, p[0], p[1]);
                int id = round == 1 || rng.nextInt(3) > 0 ? shapes.size() : rng.nextInt(shapes.size());
                if (id == shapes.size()) {
                    shapes.add(f);
                }
                commit.add(new Change.Put(volume(id, index++, f, rng.nextInt(6) > 0)));
            }
            stored.apply(commit);
            StateView committed = new Committed(stored, memory, round);
            // Pending over the committed state: new volumes and ends of committed ones.
            Overlay pending = new Overlay(committed);
            List<Change> more = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                double[] p = place(rng);
                boolean fresh = rng.nextBoolean();
                int id = fresh ? 10_000 + i : rng.nextInt(shapes.size());
                more.add(new Change.Put(volume(id, index + i, footprint(rng, p[0], p[1]), rng.nextInt(4) > 0)));
            }
            pending.apply(more);
            for (StateView view : List.of(committed, pending)) {
                List<Doc> active = view.findAll(VolumeRules.VOLUMES, "active", 100_000);
                for (int q = 0; q < 60; q++) {
                    double[] p = place(rng);
                    Footprint f = NotificationRules.footprint(footprint(rng, p[0], p[1]), "/footprint");
                    assertThat(checked(view, f)).as("round %d, %s, query %d", round, view == committed ? "committed" : "pending", q)
                            .isEqualTo(exactly(active, f));
                }
            }
            SpaceIndex kept = memory.<SpaceIndex>model(SpaceIndex.MODEL).get();
            assertThat(kept).as("the index kept for commit %d", round).isNotNull();
            assertThat(kept.size()).as("what is kept holds only the committed state's active volumes")
                    .isEqualTo(committed.findAll(VolumeRules.VOLUMES, "active", 100_000).size());
        }
    }
}
