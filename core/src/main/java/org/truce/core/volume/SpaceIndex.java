package org.truce.core.volume;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.truce.core.area.AreaRules;
import org.truce.core.area.Areas;
import org.truce.core.geo.Footprints;
import org.truce.core.geo.Prepared;
import org.truce.core.notification.NotificationRules;
import org.truce.core.state.Derived;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Everything a volume can meet, held in memory with each footprint prepared: active volumes, notified
 * sites, the legs of movements not withdrawn and declared areas, filed by a conservative box in
 * degrees in a grid at five sizes (¼°, 1°, 4°, 16°, 64°): each item in the cells of the smallest size
 * at which its box covers at most four, an item whose box would reach a pole or cross the
 * antimeridian in a list every query reads. A check reads the cells of every size its own box covers.
 *
 * <p>A snapshot is immutable and built for a count of the store's commits ({@link Derived}); the
 * store keeps the latest in its {@link org.truce.core.state.Memory} and a view brings it up to date by
 * reading only the documents written since, in log order (these collections are never deleted from,
 * only rewritten). Documents pending in a view are laid over the snapshot for that view alone. Copies
 * share what they do not change: the cells and, by id, 64 shards.
 */
final class SpaceIndex {
    static final String MODEL = "volume.space";
    static final double[] SIZES = {0.25, 1, 4, 16, 64};
    private static final int SHARDS = 64;
    private static final int PAGE = 500;
    /** The collections followed, in the order of an entity's type in a key. */
    static final List<String> COLLECTIONS = List.of(VolumeRules.VOLUMES, NotificationRules.SITES, NotificationRules.MOVEMENTS,
            AreaRules.AREAS);
    private static final List<String> TYPES = List.of("volume", "site", "movement", "area");
    static final SpaceIndex EMPTY = new SpaceIndex(-1, new long[] {-1, -1, -1, -1}, Map.of(), new Item[0], emptyShards());

    /**
     * One thing a volume can meet, during a window and in an altitude band (unbounded for the ground's);
     * {@code ref} is its type's order, then its id, which sorts what a check finds. What a check tests
     * first (window, band, box, sphere) is held in fields of its own, read without leaving the item.
     */
    static final class Item {
        final int type;
        final String id;
        final String ref;
        final String version;
        final long fromSecond;
        final int fromNano;
        final long toSecond;
        final int toNano;
        final double lower;
        final double upper;
        final Prepared shape;
        final double @Nullable [] box;
        final double west;
        final double south;
        final double east;
        final double north;
        final double cx;
        final double cy;
        final double cz;
        final double reach;
        final @Nullable String actor;

        Item(int type, String id, String version, Instant from, Instant to, double lower, double upper, Prepared shape,
                @Nullable String actor) {
            this.type = type;
            this.id = id;
            this.ref = type + ":" + id;
            this.version = version;
            this.fromSecond = from.getEpochSecond();
            this.fromNano = from.getNano();
            this.toSecond = to.getEpochSecond();
            this.toNano = to.getNano();
            this.lower = lower;
            this.upper = upper;
            this.shape = shape;
            this.actor = actor;
            this.box = shape.box(0);
            this.west = box == null ? -180 : box[0];
            this.south = box == null ? -90 : box[1];
            this.east = box == null ? 180 : box[2];
            this.north = box == null ? 90 : box[3];
            double[] sphere = shape.sphere();
            this.cx = sphere[0];
            this.cy = sphere[1];
            this.cz = sphere[2];
            this.reach = sphere[3];
        }

        String typeName() {
            return TYPES.get(type);
        }

        /** Whether the item's window overlaps [from, to) and its band [lower, upper]. */
        boolean during(Instant from, Instant to, double lo, double up) {
            return before(fromSecond, fromNano, to) && !atOrAfter(from, toSecond, toNano) && lower <= up && lo <= upper;
        }

        private static boolean before(long second, int nano, Instant t) {
            return second < t.getEpochSecond() || second == t.getEpochSecond() && nano < t.getNano();
        }

        private static boolean atOrAfter(Instant t, long second, int nano) {
            return t.getEpochSecond() > second || t.getEpochSecond() == second && t.getNano() >= nano;
        }

        /** Whether the sphere holding the item, grown, comes within {@code gap} metres of the one given. */
        boolean near(double[] sphere, double gap) {
            double dx = cx - sphere[0];
            double dy = cy - sphere[1];
            double dz = cz - sphere[2];
            double r = reach + sphere[3] + gap;
            return dx * dx + dy * dy + dz * dz <= r * r;
        }

        boolean overlaps(double @Nullable [] b) {
            return b == null || west <= b[2] && b[0] <= east && south <= b[3] && b[1] <= north;
        }
    }

    private final long commits;
    /** Per collection, the highest index of a document read. */
    private final long[] through;
    private final Map<Long, Item[]> cells;
    private final Item[] everywhere;
    private final Map<String, Item[]>[] byId;

    private SpaceIndex(long commits, long[] through, Map<Long, Item[]> cells, Item[] everywhere, Map<String, Item[]>[] byId) {
        this.commits = commits;
        this.through = through;
        this.cells = cells;
        this.everywhere = everywhere;
        this.byId = byId;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Item[]>[] emptyShards() {
        Map<String, Item[]>[] s = new Map[SHARDS];
        Arrays.fill(s, Map.of());
        return s;
    }

    /** What a check against this view sees: a snapshot, and the view's pending documents laid over it. */
    static final class View {
        final SpaceIndex base;
        /** Items of pending documents, and the ids (type:id) whose snapshot items they replace. */
        final List<Item> added;
        final Set<String> replaced;

        View(SpaceIndex base, List<Item> added, Set<String> replaced) {
            this.base = base;
            this.added = added;
            this.replaced = replaced;
        }

        /** Every item whose box meets the query's box (and those filed everywhere), each once. */
        List<Item> candidates(double @Nullable [] box) {
            List<Item> out = new ArrayList<>(1024);
            for (Item i : base.everywhere) {
                keep(i, box, out);
            }
            if (box == null) {
                for (Map<String, Item[]> shard : base.byId) {
                    for (Item[] items : shard.values()) {
                        for (Item i : items) {
                            if (i.box != null) {
                                keep(i, null, out);
                            }
                        }
                    }
                }
            } else {
                for (int level = 0; level < SIZES.length; level++) {
                    double size = SIZES[level];
                    long x0 = cell(box[0] + 180, size);
                    long x1 = cell(box[2] + 180, size);
                    long y0 = cell(box[1] + 90, size);
                    long y1 = cell(box[3] + 90, size);
                    for (long x = x0; x <= x1; x++) {
                        for (long y = y0; y <= y1; y++) {
                            Item[] here = base.cells.get(key(level, x, y));
                            if (here == null) {
                                continue;
                            }
                            for (Item i : here) {
                                // Filed in several cells, an item is taken only in the cell holding the
                                // south-west corner of where its box and the query's overlap.
                                if (i.overlaps(box) && cell(Math.max(i.west, box[0]) + 180, size) == x
                                        && cell(Math.max(i.south, box[1]) + 90, size) == y) {
                                    keep(i, null, out);
                                }
                            }
                        }
                    }
                }
            }
            for (Item i : added) {
                if (i.overlaps(box)) {
                    out.add(i);
                }
            }
            return out;
        }

        private void keep(Item i, double @Nullable [] box, List<Item> out) {
            if (!replaced.isEmpty() && replaced.contains(i.ref)) {
                return;
            }
            if (i.overlaps(box)) {
                out.add(i);
            }
        }
    }

    /** The index as of this view: the store's kept snapshot brought up to date, or one built from the view. */
    static View at(StateView state) {
        Derived d = state.derived();
        if (d == null) {
            return new View(EMPTY.advance(state, -1), List.of(), Set.of());
        }
        AtomicReference<SpaceIndex> slot = d.memory().model(MODEL);
        SpaceIndex kept = slot.get();
        if (kept == null) {
            kept = EMPTY;
        }
        StateView committed = d.committed();
        if (committed == null) {
            // The view has written changes of its own: read them through it, and keep nothing.
            return new View(kept.advance(state, kept.commits), List.of(), Set.of());
        }
        if (kept.commits != d.commits()) {
            SpaceIndex fresh = kept.advance(committed, d.commits());
            slot.accumulateAndGet(fresh, (a, b) -> a == null || b.commits >= a.commits ? b : a);
            kept = fresh;
        }
        List<Item> added = new ArrayList<>();
        Set<String> replaced = new java.util.HashSet<>();
        Prepare cache = null;
        for (int c = 0; c < COLLECTIONS.size(); c++) {
            Map<String, @Nullable Doc> pending = d.pending().apply(COLLECTIONS.get(c));
            if (pending.isEmpty()) {
                continue;
            }
            if (cache == null) {
                AtomicReference<Prepare> cs = d.memory().model(MODEL + ".pending");
                cache = cs.updateAndGet(x -> x == null ? new Prepare() : x);
            }
            for (Map.Entry<String, @Nullable Doc> e : pending.entrySet()) {
                replaced.add(c + ":" + e.getKey());
                Doc doc = e.getValue();
                if (doc != null) {
                    added.addAll(cache.items(c, doc));
                }
            }
        }
        return new View(kept, added, replaced);
    }

    /**
     * The items of documents still pending in a write, by the document instance: a sequencer's batch
     * checks each volume against all those before it, and prepares each footprint once. Thread-safe.
     */
    private static final class Prepare {
        private static final int MAX = 10_000;
        private final Map<Doc, List<Item>> byDoc = new java.util.IdentityHashMap<>();
        private final java.util.ArrayDeque<Doc> order = new java.util.ArrayDeque<>();

        synchronized List<Item> items(int c, Doc d) {
            List<Item> it = byDoc.get(d);
            if (it == null) {
                it = SpaceIndex.items(c, d);
                byDoc.put(d, it);
                order.add(d);
                if (order.size() > MAX) {
                    byDoc.remove(order.poll());
                }
            }
            return it;
        }
    }

    /** This snapshot with every document the view wrote after it, for the given commit count. */
    SpaceIndex advance(StateView view, long commitCount) {
        Map<Long, List<Item>> newCells = null;
        List<Item> top = null;
        Map<String, Item[]>[] shards = byId.clone();
        boolean[] copied = new boolean[SHARDS];
        long[] upTo = through.clone();
        for (int c = 0; c < COLLECTIONS.size(); c++) {
            long afterIndex = through[c];
            String afterId = "";
            while (true) {
                List<Doc> page = view.inLogOrder(COLLECTIONS.get(c), afterIndex, afterId, PAGE);
                for (Doc doc : page) {
                    if (newCells == null) {
                        newCells = new HashMap<>();
                        top = new ArrayList<>(Arrays.asList(everywhere));
                    }
                    String key = c + ":" + doc.id();
                    int s = Math.floorMod(key.hashCode(), SHARDS);
                    if (!copied[s]) {
                        shards[s] = new HashMap<>(shards[s]);
                        copied[s] = true;
                    }
                    Item[] old = shards[s].remove(key);
                    if (old != null) {
                        for (Item i : old) {
                            file(newCells, top, i, false);
                        }
                    }
                    List<Item> now = items(c, doc);
                    if (!now.isEmpty()) {
                        shards[s].put(key, now.toArray(Item[]::new));
                        for (Item i : now) {
                            file(newCells, top, i, true);
                        }
                    }
                    upTo[c] = Math.max(upTo[c], doc.index());
                }
                if (page.size() < PAGE) {
                    break;
                }
                afterIndex = page.get(page.size() - 1).index();
                afterId = page.get(page.size() - 1).id();
            }
        }
        if (newCells == null) {
            return new SpaceIndex(commitCount, through, cells, everywhere, byId);
        }
        for (int s = 0; s < SHARDS; s++) {
            if (copied[s]) {
                shards[s] = Collections.unmodifiableMap(shards[s]);
            }
        }
        Map<Long, Item[]> merged = new HashMap<>(cells);
        newCells.forEach((k, items) -> {
            if (items.isEmpty()) {
                merged.remove(k);
            } else {
                merged.put(k, items.toArray(Item[]::new));
            }
        });
        return new SpaceIndex(commitCount, upTo, Collections.unmodifiableMap(merged), top.toArray(Item[]::new), shards);
    }

    /** Adds an item to, or removes it from, the cells it is filed in: each cell touched is copied once. */
    private void file(Map<Long, List<Item>> edited, List<Item> top, Item item, boolean add) {
        List<Long> keys = fileKeys(item.box);
        if (keys.isEmpty()) {
            if (add) {
                top.add(item);
            } else {
                top.removeIf(i -> i == item);
            }
            return;
        }
        for (long k : keys) {
            List<Item> here = edited.computeIfAbsent(k, c -> new ArrayList<>(Arrays.asList(cells.getOrDefault(c, new Item[0]))));
            if (add) {
                here.add(item);
            } else {
                here.removeIf(i -> i == item);
            }
        }
    }

    /** The cells an item with this box is filed in; none when it goes in the list every query reads. */
    static List<Long> fileKeys(double @Nullable [] box) {
        if (box == null) {
            return List.of();
        }
        for (int level = 0; level < SIZES.length; level++) {
            double size = SIZES[level];
            long x0 = cell(box[0] + 180, size);
            long x1 = cell(box[2] + 180, size);
            long y0 = cell(box[1] + 90, size);
            long y1 = cell(box[3] + 90, size);
            if ((x1 - x0 + 1) * (y1 - y0 + 1) <= 4) {
                List<Long> keys = new ArrayList<>(4);
                for (long x = x0; x <= x1; x++) {
                    for (long y = y0; y <= y1; y++) {
                        keys.add(key(level, x, y));
                    }
                }
                return keys;
            }
        }
        return List.of();
    }

    private static long cell(double degrees, double size) {
        return (long) Math.floor(degrees / size);
    }

    private static long key(int level, long x, long y) {
        return ((long) level << 40) | (x << 20) | y;
    }

    /** The items of a document of collection {@code c}: none for an ended volume or a withdrawn movement. */
    static List<Item> items(int c, Doc d) {
        JsonNode b = d.body();
        String version = b.get("version").textValue();
        switch (c) {
            case 0 -> {
                if (!d.keys().contains("active")) {
                    return List.of();
                }
                JsonNode alt = b.get("altitude");
                return List.of(item(0, d.id(), version, Instant.parse(b.get("time").get("from").textValue()),
                        Instant.parse(b.get("time").get("to").textValue()), alt.get("lower").doubleValue(),
                        alt.get("upper").doubleValue(), b.get("footprint"), null));
            }
            case 1 -> {
                Instant[] standing = NotificationRules.standing(b);
                return List.of(item(1, d.id(), version, standing[0], standing[1], Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY, b.get("footprint"), null));
            }
            case 2 -> {
                if (b.has("withdrawn")) {
                    return List.of();
                }
                // Legs along the route share one prepared route.
                Map<JsonNode, Prepared> shapes = new LinkedHashMap<>();
                List<Item> out = new ArrayList<>();
                for (JsonNode leg : b.get("legs")) {
                    JsonNode where = leg.has("footprint") ? leg.get("footprint") : b.get("route");
                    Prepared p = shapes.computeIfAbsent(where, w -> Prepared.of(Footprints.stored(w)));
                    out.add(new Item(2, d.id(), version, Instant.parse(leg.get("from").textValue()),
                            Instant.parse(leg.get("to").textValue()), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, p, null));
                }
                return out;
            }
            default -> {
                Instant[] period = Areas.period(b);
                return List.of(item(3, d.id(), version, period[0], period[1], Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY, b.get("footprint"), b.get("actor").textValue()));
            }
        }
    }

    private static Item item(int type, String id, String version, Instant from, Instant to, double lower, double upper,
            JsonNode footprint, @Nullable String actor) {
        Prepared p = Prepared.of(Footprints.stored(footprint));
        return new Item(type, id, version, from, to, lower, upper, p, actor);
    }

    /** The number of items held, for tests and reports. */
    int size() {
        int n = everywhere.length;
        for (Map<String, Item[]> shard : byId) {
            for (Item[] items : shard.values()) {
                for (Item i : items) {
                    n += i.box == null ? 0 : 1;
                }
            }
        }
        return n;
    }
}
