package org.truce.core.volume;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.truce.core.area.AreaRules;
import org.truce.core.area.Areas;
import org.truce.core.geo.Footprints;
import org.truce.core.geo.Intersection;
import org.truce.core.geo.Prepared;
import org.truce.core.notification.NotificationRules;
import org.truce.core.state.Derived;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Everything a volume can meet, held in memory with each footprint prepared: active volumes, notified
 * sites, the legs of movements not withdrawn and declared areas, filed by a conservative box in
 * degrees in a loose grid of {@value #LEVELS} levels, cells of 1/256° to 64° a factor of two apart:
 * each item in the one cell that holds its box's centre, at the smallest level whose cells are at least
 * half as large as its box; an item whose box would reach a pole or cross the antimeridian, or is
 * larger than two of the largest cells, in a list every check reads. A check reads, at each level, the
 * cells within one cell of its own box.
 *
 * <p>Cells are grouped in blocks of 8 × 8, and a block holds what a check reads first of its items in
 * arrays of numbers, in cell order: the box, and a record of the {@link Prepared#summary} of the
 * footprint, the altitude band and the window. A check walks the boxes in memory order and keeps
 * those that meet its own; then it touches their records in a row, so that their fetches from memory
 * overlap, rejects on band and window before any geometry, and decides most pairs from the summary
 * alone. It reads an item's footprint only when the summary cannot tell (touching those in a row
 * too), and the item itself only for what it meets.
 *
 * <p>A snapshot is immutable and built for a count of the store's commits ({@link Derived}); the
 * store keeps the latest in its {@link org.truce.core.state.Memory} and a view brings it up to date by
 * reading only the documents written since, in log order (these collections are never deleted from,
 * only rewritten). Documents pending in a view are laid over the snapshot for that view alone. Copies
 * share what they do not change: the blocks, the levels' tables of blocks that no edit touched, and,
 * by id, 64 shards a collection.
 */
final class SpaceIndex {
    static final String MODEL = "volume.space";
    /** The finest level's cells are 2^FINEST degrees on a side. */
    private static final int FINEST = -8;
    static final int LEVELS = 15;
    /**
     * How many cells across an item's box may be at its level: items are filed in cells smaller than
     * they are, so that a check reads fewer items for each that its box meets.
     */
    private static final int LOOSE = 2;
    /** Cells on a block's side, and its logarithm. */
    private static final int SIDE = 8;
    private static final int SHIFT = 3;
    /** A block with no more items than this is read whole, without offsets by cell. */
    private static final int SMALL = 16;
    private static final int SHARDS = 64;
    private static final int PAGE = 500;
    /** The collections followed, in the order of an entity's type in a key. */
    static final List<String> COLLECTIONS = List.of(VolumeRules.VOLUMES, NotificationRules.SITES, NotificationRules.MOVEMENTS,
            AreaRules.AREAS);
    private static final List<String> TYPES = List.of("volume", "site", "movement", "area");
    static final SpaceIndex EMPTY = new SpaceIndex(-1, new long[] {-1, -1, -1, -1}, emptyLevels(), Block.NONE, emptyShards());

    /**
     * One thing a volume can meet, during a window and in an altitude band (unbounded for the ground's).
     * {@link #order} sorts items as their type's order, then their id, would.
     */
    static final class Item {
        final int type;
        final String id;
        final String version;
        final long fromSecond;
        final int fromNano;
        final long toSecond;
        final int toNano;
        final double lower;
        final double upper;
        final Prepared shape;
        final double @Nullable [] box;
        final long order;
        final @Nullable String actor;
        /** The level it is filed at (−1 for the list every check reads), and the cell. */
        final int level;
        final long cellX;
        final long cellY;

        Item(int type, String id, String version, Instant from, Instant to, double lower, double upper, Prepared shape,
                @Nullable String actor) {
            this.type = type;
            this.id = id;
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
            this.order = order(type, id);
            this.level = level(box);
            double[] b = box;
            if (b == null || level < 0) {
                cellX = 0;
                cellY = 0;
            } else {
                double scale = Math.scalb(1.0, -(FINEST + level));
                cellX = (long) Math.floor(((b[0] + b[2]) / 2 + 180) * scale);
                cellY = (long) Math.floor(((b[1] + b[3]) / 2 + 90) * scale);
            }
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

        /** The block the item is filed in: its level and the block's place, as one key. */
        long block() {
            return level < 0 ? -1 : (long) level << 56 | (cellX >> SHIFT) << 28 | cellY >> SHIFT;
        }
    }

    /** Items sorted as their type's order, then their id. */
    static final Comparator<Item> ORDER = (a, b) -> a.order != b.order ? Long.compare(a.order, b.order)
            : a.type != b.type ? Integer.compare(a.type, b.type) : a.id.compareTo(b.id);

    /**
     * A key that sorts as (type, id) do, or ties: the type, then the first eight characters of the id at
     * seven bits each (0 past its end; a character beyond the seventh bit ends the key, so that the
     * rest of the id decides a tie).
     */
    static long order(int type, String id) {
        long k = type;
        boolean ended = false;
        for (int i = 0; i < 8; i++) {
            int c = ended || i >= id.length() ? 0 : Math.min(id.charAt(i), 126) + 1;
            ended |= c == 127;
            k = k << 7 | c;
        }
        return k;
    }

    /** The level for a box: the smallest whose cells are at least half as large as it, or −1 when it is filed everywhere. */
    static int level(double @Nullable [] box) {
        if (box == null) {
            return -1;
        }
        double extent = Math.max(box[2] - box[0], box[3] - box[1]);
        for (int level = 0; level < LEVELS; level++) {
            if (extent <= LOOSE * Math.scalb(1.0, FINEST + level)) {
                return level;
            }
        }
        return -1;
    }

    /**
     * Numbers of an item's record in a block: the footprint's summary, the band, then the window as the
     * seconds and nanoseconds of its start and of its end, each exact (seconds beyond ±9·10⁹, about the
     * year 2255, are saturated, and the item's own fields decide).
     */
    private static final int RECORD = Prepared.SUMMARY + 6;
    private static final int LOWER = Prepared.SUMMARY;
    private static final int UPPER = LOWER + 1;
    private static final int FROM = LOWER + 2;
    private static final int TO = LOWER + 4;
    private static final long SATURATED = 9_000_000_000L;

    /**
     * Items of a block of cells (or of a list read whole), with what a check reads first of each in
     * arrays of numbers, in cell order: the box in single precision, rounded outwards, and a record of
     * the footprint's summary, band and window.
     */
    static final class Block {
        static final Block NONE = new Block(List.of(), 0, 0, false);
        final Item[] items;
        final float[] box;
        final double[] record;
        /** Where each cell's items start, row by row, and where the last ends; null when the block is read whole. */
        final int @Nullable [] start;

        Block(List<Item> list, long blockX, long blockY, boolean cells) {
            int n = list.size();
            items = new Item[n];
            start = cells && n > SMALL ? new int[SIDE * SIDE + 1] : null;
            if (start != null) {
                // Counting sort by cell within the block.
                int[] at = new int[SIDE * SIDE + 1];
                for (Item i : list) {
                    at[cell(i, blockX, blockY) + 1]++;
                }
                for (int c = 0; c < SIDE * SIDE; c++) {
                    at[c + 1] += at[c];
                }
                System.arraycopy(at, 0, start, 0, at.length);
                for (Item i : list) {
                    items[at[cell(i, blockX, blockY)]++] = i;
                }
            } else {
                list.toArray(items);
            }
            box = new float[4 * n];
            record = new double[n * RECORD];
            for (int k = 0; k < n; k++) {
                Item i = items[k];
                double[] b = i.box;
                box[4 * k] = b == null ? -180 : Math.nextDown((float) b[0]);
                box[4 * k + 1] = b == null ? -90 : Math.nextDown((float) b[1]);
                box[4 * k + 2] = b == null ? 180 : Math.nextUp((float) b[2]);
                box[4 * k + 3] = b == null ? 90 : Math.nextUp((float) b[3]);
                int r = k * RECORD;
                i.shape.summary(record, r);
                record[r + LOWER] = i.lower;
                record[r + UPPER] = i.upper;
                record[r + FROM] = saturated(i.fromSecond);
                record[r + FROM + 1] = i.fromNano;
                record[r + TO] = saturated(i.toSecond);
                record[r + TO + 1] = i.toNano;
            }
        }

        private static int cell(Item i, long blockX, long blockY) {
            return (int) (i.cellY - (blockY << SHIFT)) * SIDE + (int) (i.cellX - (blockX << SHIFT));
        }
    }

    /**
     * A level's blocks by their place: an open-addressing table of primitive keys, probed linearly from
     * a mixed hash, at most half full; rebuilt whole when the level changes, which costs what copying
     * a map would.
     */
    static final class Blocks {
        static final Blocks EMPTY = new Blocks(Map.of());
        /** No key: a place's key has its top bit clear. */
        private static final long FREE = Long.MIN_VALUE;
        private final long[] keys;
        private final Block[] blocks;
        final int size;

        private Blocks(Map<Long, Block> all) {
            size = all.size();
            int capacity = Integer.highestOneBit(Math.max(1, size) * 2) * 2;
            keys = new long[capacity];
            blocks = new Block[capacity];
            Arrays.fill(keys, FREE);
            all.forEach((k, b) -> {
                int i = slot(k);
                while (keys[i] != FREE) {
                    i = (i + 1) & (keys.length - 1);
                }
                keys[i] = k;
                blocks[i] = b;
            });
        }

        private int slot(long key) {
            // The finalizer of MurmurHash3: blocks next to each other land far apart.
            long h = key ^ key >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            return (int) h & (keys.length - 1);
        }

        @Nullable Block get(long key) {
            for (int i = slot(key); ; i = (i + 1) & (keys.length - 1)) {
                long k = keys[i];
                if (k == key) {
                    return blocks[i];
                }
                if (k == FREE) {
                    return null;
                }
            }
        }

        /** These blocks with the changes made: a block by key, or null to take the key out. */
        Blocks with(Map<Long, @Nullable Block> changes) {
            Map<Long, Block> all = new HashMap<>(2 * (size + changes.size()));
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != FREE) {
                    all.put(keys[i], blocks[i]);
                }
            }
            changes.forEach((k, b) -> {
                if (b == null) {
                    all.remove(k);
                } else {
                    all.put(k, b);
                }
            });
            return all.isEmpty() ? EMPTY : new Blocks(all);
        }
    }

    private static double saturated(long second) {
        return Math.max(-SATURATED, Math.min(SATURATED, second));
    }

    private final long commits;
    /** Per collection, the highest index of a document read. */
    private final long[] through;
    /** Per level, the blocks by their place. */
    private final Blocks[] levels;
    private final Block everywhere;
    /** Per collection, 64 shards of items by document id. */
    private final Map<String, Item[]>[] byId;

    private SpaceIndex(long commits, long[] through, Blocks[] levels, Block everywhere, Map<String, Item[]>[] byId) {
        this.commits = commits;
        this.through = through;
        this.levels = levels;
        this.everywhere = everywhere;
        this.byId = byId;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Item[]>[] emptyShards() {
        Map<String, Item[]>[] s = new Map[COLLECTIONS.size() * SHARDS];
        Arrays.fill(s, Map.of());
        return s;
    }

    private static Blocks[] emptyLevels() {
        Blocks[] l = new Blocks[LEVELS];
        Arrays.fill(l, Blocks.EMPTY);
        return l;
    }

    /** A check: the prepared footprint, its box, band and window, and what it has met so far. */
    private static final class Check {
        final Prepared shape;
        final double @Nullable [] box;
        final double lower;
        final double upper;
        final Instant from;
        final Instant to;
        final double fromSecond;
        final double toSecond;
        /** Whether the window is decided on the records; otherwise, beyond their range, on each item's own fields. */
        final boolean inRecords;
        Item[] met = new Item[256];
        int count;
        /** Items whose boxes meet the check's: their blocks and places there, compared once the walk is done. */
        Block[] inBlock = new Block[1024];
        int[] at = new int[1024];
        int found;
        /** Items whose summaries left it open, compared with their footprints after those. */
        Item[] open = new Item[64];
        int opened;

        Check(Prepared shape, double lower, double upper, Instant from, Instant to) {
            this.shape = shape;
            // Grown by a metre beyond the tolerance, so no box edge can part two shapes that meet.
            this.box = shape.box(Intersection.TOLERANCE + 1);
            this.lower = lower;
            this.upper = upper;
            this.from = from;
            this.to = to;
            this.fromSecond = from.getEpochSecond();
            this.toSecond = to.getEpochSecond();
            this.inRecords = Math.abs(fromSecond) < SATURATED && Math.abs(toSecond) < SATURATED;
        }

        /** Items [lo, hi) of a block whose boxes meet the check's, kept for {@link #compareFound}. */
        void scan(Block b, int lo, int hi) {
            float[] bb = b.box;
            double[] q = box;
            for (int k = lo; k < hi; k++) {
                if (q != null && (bb[4 * k] > q[2] || q[0] > bb[4 * k + 2] || bb[4 * k + 1] > q[3] || q[1] > bb[4 * k + 3])) {
                    continue;
                }
                if (found == at.length) {
                    at = Arrays.copyOf(at, 2 * found);
                    inBlock = Arrays.copyOf(inBlock, 2 * found);
                }
                inBlock[found] = b;
                at[found++] = k;
            }
        }

        /**
         * The items found so far: band and window first, then the summary; those it leaves open wait for
         * {@link #compare}. Their records are touched first, all in a row, so that their fetches from
         * memory overlap instead of following each other.
         */
        void compareFound() {
            double touched = 0;
            for (int f = 0; f < found; f++) {
                int r = at[f] * RECORD;
                double[] record = inBlock[f].record;
                touched += record[r] + record[r + 8] + record[r + RECORD - 1];
            }
            sink = touched;
            for (int f = 0; f < found; f++) {
                Block b = inBlock[f];
                int k = at[f];
                double[] record = b.record;
                int r = k * RECORD;
                if (record[r + LOWER] > upper || lower > record[r + UPPER]) {
                    continue;
                }
                // The window overlaps [from, to) when it starts before `to` and ends after `from`.
                if (inRecords ? !before(record[r + FROM], record[r + FROM + 1], toSecond, to.getNano())
                        || !before(fromSecond, from.getNano(), record[r + TO], record[r + TO + 1])
                        : !b.items[k].during(from, to, lower, upper)) {
                    continue;
                }
                Prepared.Verdict v = shape.compare(record, r);
                if (v == Prepared.Verdict.MEET) {
                    met(b.items[k]);
                } else if (v == Prepared.Verdict.UNSURE) {
                    if (opened == open.length) {
                        open = Arrays.copyOf(open, 2 * opened);
                    }
                    open[opened++] = b.items[k];
                }
            }
            Arrays.fill(inBlock, 0, found, null);
            found = 0;
        }

        private static boolean before(double second, double nano, double otherSecond, double otherNano) {
            return second < otherSecond || second == otherSecond && nano < otherNano;
        }

        private void met(Item i) {
            if (count == met.length) {
                met = Arrays.copyOf(met, 2 * count);
            }
            met[count++] = i;
        }

        /**
         * Compares what the walk has found ({@link #compareFound}), then the items the summaries left
         * open, with their footprints: each footprint is touched first, all in a row, for the same reason.
         */
        void compare() {
            compareFound();
            double touched = 0;
            for (int k = 0; k < opened; k++) {
                touched += open[k].shape.touch();
            }
            sink = touched;
            for (int k = 0; k < opened; k++) {
                if (Intersection.meets(shape, open[k].shape)) {
                    met(open[k]);
                }
            }
            opened = 0;
        }

        /**
         * The blocks of a level that may hold items meeting the box: the cells within half a cell of it.
         * When the box spans more blocks than the level holds, the level's blocks are walked instead.
         */
        void scan(int level, Blocks blocks) {
            if (blocks.size == 0) {
                return;
            }
            double[] q = box;
            if (q == null) {
                for (Block b : blocks.blocks) {
                    if (b != null) {
                        scan(b, 0, b.items.length);
                    }
                }
                return;
            }
            // An item here has its box's centre in its cell and a box no larger than LOOSE cells, so one
            // that meets the check's box has its centre within LOOSE / 2 cells of it.
            double scale = Math.scalb(1.0, -(FINEST + level));
            double reach = LOOSE / 2.0 + 1e-9;
            long x0 = (long) Math.floor((q[0] + 180) * scale - reach);
            long x1 = (long) Math.floor((q[2] + 180) * scale + reach);
            long y0 = (long) Math.floor((q[1] + 90) * scale - reach);
            long y1 = (long) Math.floor((q[3] + 90) * scale + reach);
            if (((x1 >> SHIFT) - (x0 >> SHIFT) + 1) * ((y1 >> SHIFT) - (y0 >> SHIFT) + 1) > blocks.size) {
                for (int i = 0; i < blocks.keys.length; i++) {
                    long key = blocks.keys[i];
                    long bx = key >> 28 & 0xfff_ffff;
                    long by = key & 0xfff_ffff;
                    if (key != Blocks.FREE && bx >= x0 >> SHIFT && bx <= x1 >> SHIFT && by >= y0 >> SHIFT && by <= y1 >> SHIFT) {
                        scan(blocks.blocks[i], bx, by, x0, x1, y0, y1);
                    }
                }
                return;
            }
            for (long by = y0 >> SHIFT; by <= y1 >> SHIFT; by++) {
                for (long bx = x0 >> SHIFT; bx <= x1 >> SHIFT; bx++) {
                    Block b = blocks.get((long) level << 56 | bx << 28 | by);
                    if (b != null) {
                        scan(b, bx, by, x0, x1, y0, y1);
                    }
                }
            }
        }

        /** The cells of block (bx, by) within cells x0 to x1 and y0 to y1: a run of items for each row. */
        private void scan(Block b, long bx, long by, long x0, long x1, long y0, long y1) {
            int[] start = b.start;
            if (start == null) {
                scan(b, 0, b.items.length);
                return;
            }
            int cx0 = (int) Math.max(x0 - (bx << SHIFT), 0);
            int cx1 = (int) Math.min(x1 - (bx << SHIFT), SIDE - 1);
            int cy0 = (int) Math.max(y0 - (by << SHIFT), 0);
            int cy1 = (int) Math.min(y1 - (by << SHIFT), SIDE - 1);
            for (int cy = cy0; cy <= cy1; cy++) {
                scan(b, start[cy * SIDE + cx0], start[cy * SIDE + cx1 + 1]);
            }
        }
    }

    /**
     * Where touched numbers go, so that touching them is not left out. Not volatile: checks on several
     * threads would otherwise fence on every write to it; a lost or torn sum does not matter.
     */
    @SuppressWarnings("unused")
    private static double sink;

    /** No document pending, in any collection. */
    private static final List<Set<String>> NONE = List.of(Set.of(), Set.of(), Set.of(), Set.of());

    /** What a check against this view sees: a snapshot, and the view's pending documents laid over it. */
    static final class View {
        final SpaceIndex base;
        /** Items of pending documents, and per collection the ids whose snapshot items they replace. */
        final Block added;
        final List<Set<String>> replaced;

        View(SpaceIndex base, List<Item> added, List<Set<String>> replaced) {
            this.base = base;
            this.added = added.isEmpty() ? Block.NONE : new Block(added, 0, 0, false);
            this.replaced = replaced;
        }

        /**
         * Every item that a footprint meets in the band [lower, upper] during [from, to), sorted as its
         * type's order, then its id, would sort them.
         */
        Item[] meeting(Prepared shape, double lower, double upper, Instant from, Instant to) {
            Check c = new Check(shape, lower, upper, from, to);
            c.scan(base.everywhere, 0, base.everywhere.items.length);
            for (int level = 0; level < LEVELS; level++) {
                c.scan(level, base.levels[level]);
            }
            c.compare();
            if (replaced != NONE) {
                int kept = 0;
                for (int k = 0; k < c.count; k++) {
                    Item i = c.met[k];
                    if (!replaced.get(i.type).contains(i.id)) {
                        c.met[kept++] = i;
                    }
                }
                c.count = kept;
            }
            c.scan(added, 0, added.items.length);
            c.compare();
            return sorted(c.met, c.count);
        }
    }

    /**
     * The first {@code n} items in {@link #ORDER}: their keys are read once, in a row, into an array
     * of their own, and a merge sort compares those, the items themselves only when keys tie.
     */
    static Item[] sorted(Item[] items, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = items[i].order;
        }
        Item[] out = Arrays.copyOf(items, n);
        mergeSort(keys, out, keys.clone(), out.clone(), 0, n);
        return out;
    }

    /** Sorts [lo, hi) of {@code keys} and {@code items} together, using the same range of the others as room. */
    private static void mergeSort(long[] keys, Item[] items, long[] k2, Item[] i2, int lo, int hi) {
        if (hi - lo <= 12) {
            for (int i = lo + 1; i < hi; i++) {
                long k = keys[i];
                Item it = items[i];
                int j = i - 1;
                while (j >= lo && before(k, it, keys[j], items[j])) {
                    keys[j + 1] = keys[j];
                    items[j + 1] = items[j];
                    j--;
                }
                keys[j + 1] = k;
                items[j + 1] = it;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        // Sort each half in the room, then merge them back.
        System.arraycopy(keys, lo, k2, lo, hi - lo);
        System.arraycopy(items, lo, i2, lo, hi - lo);
        mergeSort(k2, i2, keys, items, lo, mid);
        mergeSort(k2, i2, keys, items, mid, hi);
        for (int i = lo, a = lo, b = mid; i < hi; i++) {
            if (b >= hi || a < mid && !before(k2[b], i2[b], k2[a], i2[a])) {
                keys[i] = k2[a];
                items[i] = i2[a++];
            } else {
                keys[i] = k2[b];
                items[i] = i2[b++];
            }
        }
    }

    private static boolean before(long k, Item i, long otherKey, Item other) {
        return k < otherKey || k == otherKey && ORDER.compare(i, other) < 0;
    }

    /** The index as of this view: the store's kept snapshot brought up to date, or one built from the view. */
    static View at(StateView state) {
        List<Set<String>> none = NONE;
        Derived d = state.derived();
        if (d == null) {
            return new View(EMPTY.advance(state, -1), List.of(), none);
        }
        AtomicReference<SpaceIndex> slot = d.memory().model(MODEL);
        SpaceIndex kept = slot.get();
        if (kept == null) {
            kept = EMPTY;
        }
        StateView committed = d.committed();
        if (committed == null) {
            // The view has written changes of its own: read them through it, and keep nothing.
            return new View(kept.advance(state, kept.commits), List.of(), none);
        }
        if (kept.commits != d.commits()) {
            SpaceIndex fresh = kept.advance(committed, d.commits());
            slot.accumulateAndGet(fresh, (a, b) -> a == null || b.commits >= a.commits ? b : a);
            kept = fresh;
        }
        List<Item> added = new ArrayList<>();
        List<Set<String>> replaced = none;
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
            if (replaced == none) {
                replaced = new ArrayList<>(none);
            }
            replaced.set(c, pending.keySet());
            for (Doc doc : pending.values()) {
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
        private final Map<Doc, List<Item>> byDoc = new IdentityHashMap<>();
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

    /** Items to take out of a block and to put in, by the block's key. */
    private static final class Edit {
        final Set<Item> removed = Collections.newSetFromMap(new IdentityHashMap<>());
        final List<Item> added = new ArrayList<>();
    }

    /** This snapshot with every document the view wrote after it, for the given commit count. */
    SpaceIndex advance(StateView view, long commitCount) {
        Map<Long, Edit> edits = new HashMap<>();
        Map<String, Item[]>[] shards = byId.clone();
        boolean[] copied = new boolean[shards.length];
        long[] upTo = through.clone();
        for (int c = 0; c < COLLECTIONS.size(); c++) {
            long afterIndex = through[c];
            String afterId = "";
            while (true) {
                List<Doc> page = view.inLogOrder(COLLECTIONS.get(c), afterIndex, afterId, PAGE);
                for (Doc doc : page) {
                    int s = c * SHARDS + Math.floorMod(doc.id().hashCode(), SHARDS);
                    if (!copied[s]) {
                        shards[s] = new HashMap<>(shards[s]);
                        copied[s] = true;
                    }
                    Item[] old = shards[s].remove(doc.id());
                    if (old != null) {
                        for (Item i : old) {
                            edits.computeIfAbsent(i.block(), k -> new Edit()).removed.add(i);
                        }
                    }
                    List<Item> now = items(c, doc);
                    if (!now.isEmpty()) {
                        shards[s].put(doc.id(), now.toArray(Item[]::new));
                        for (Item i : now) {
                            edits.computeIfAbsent(i.block(), k -> new Edit()).added.add(i);
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
        if (edits.isEmpty() && Arrays.equals(upTo, through)) {
            return new SpaceIndex(commitCount, through, levels, everywhere, byId);
        }
        for (int s = 0; s < shards.length; s++) {
            if (copied[s]) {
                shards[s] = Collections.unmodifiableMap(shards[s]);
            }
        }
        List<Map<Long, @Nullable Block>> changed = new ArrayList<>();
        for (int level = 0; level < LEVELS; level++) {
            changed.add(new HashMap<>());
        }
        Block top = everywhere;
        for (Map.Entry<Long, Edit> e : edits.entrySet()) {
            long key = e.getKey();
            if (key < 0) {
                top = edited(everywhere, e.getValue(), 0, 0, false);
                continue;
            }
            int level = (int) (key >>> 56);
            Block b = edited(levels[level].get(key), e.getValue(), key >> 28 & 0xfff_ffff, key & 0xfff_ffff, true);
            changed.get(level).put(key, b.items.length == 0 ? null : b);
        }
        Blocks[] now = levels.clone();
        for (int level = 0; level < LEVELS; level++) {
            if (!changed.get(level).isEmpty()) {
                now[level] = levels[level].with(changed.get(level));
            }
        }
        return new SpaceIndex(commitCount, upTo, now, top, shards);
    }

    /** A block with the edit's items taken out and put in; each block touched is rebuilt once. */
    private static Block edited(@Nullable Block old, Edit edit, long blockX, long blockY, boolean cells) {
        List<Item> items = new ArrayList<>();
        if (old != null) {
            for (Item i : old.items) {
                if (!edit.removed.contains(i)) {
                    items.add(i);
                }
            }
        }
        items.addAll(edit.added);
        return new Block(items, blockX, blockY, cells);
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
        int n = 0;
        for (Map<String, Item[]> shard : byId) {
            for (Item[] items : shard.values()) {
                n += items.length;
            }
        }
        return n;
    }
}
