package org.truce.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Visibility;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.core.ledger.Ledger;
import org.truce.server.node.Node;
import org.truce.server.rebuild.Rebuild;
import org.truce.server.rebuild.RebuildException;
import org.truce.store.StateDigest;
import org.truce.store.Store;
import org.truce.store.StoredBody;
import org.truce.store.StoredEntry;
import org.truce.store.StoredEvidence;
import org.truce.tlog.FormatException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.note.KeyFiles;
import org.truce.tlog.note.SignedNote;

/**
 * A backup of a running log, and its restore into an empty place. The backup is one ZIP file: a
 * manifest ({@code truce-backup.json}: origin, size, root, the state digest at that size), the
 * checkpoint as published, every entry with its stored body (NDJSON in chunks of
 * {@value #CHUNK}), the evidence files, and the operator's two private keys, so the restored log can
 * go on signing. It is taken while the server runs: the size, checkpoint and state digest in one read
 * transaction, then the entries up to that size, which never change. A restore replays the entries
 * through the rules into an empty store ({@link Rebuild}), which checks every leaf, signature and rule
 * again and must reach the checkpoint's root, then compares the state digest with the manifest's.
 * Engines may differ: a backup of SQLite restores into PostgreSQL.
 */
public final class Backup {
    public static final String FORMAT = "truce-backup/1";
    static final String MANIFEST = "truce-backup.json";
    static final int CHUNK = 10_000;
    /** Bounds on what a restore reads from a file it did not write: one entry line, one evidence file, the manifest. */
    static final int MAX_LINE = 64 * 1024 * 1024;
    static final long MAX_EVIDENCE = 32L * 1024 * 1024;

    private Backup() {}

    /** Receives progress in entries. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    /** What a backup holds, as its manifest says. */
    public record Manifest(String origin, long size, Hash root, Hash stateDigest, Instant taken, int evidence) {}

    /** Writes a backup of the log in {@code store}, whose keys are in {@code keysDir}, to {@code out}. */
    public static Manifest write(Store store, Path keysDir, OutputStream out, Progress progress) throws IOException {
        Object[] head = store.read(tx -> new Object[] {tx.size(), tx.read("checkpoint").orElse(null), StateDigest.of(tx)});
        long size = (Long) head[0];
        byte[] checkpoint = (byte[]) head[1];
        if (checkpoint == null) {
            throw new IllegalStateException("the log has no checkpoint");
        }
        Checkpoint cp = parse(checkpoint);
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        put(zip, "checkpoint", checkpoint);
        for (String key : List.of(Node.CHECKPOINT_KEY, Node.ENTRY_KEY)) {
            put(zip, "keys/" + key, Files.readAllBytes(keysDir.resolve(key)));
        }
        Rebuild.Source source = Rebuild.Source.of(store, size, checkpoint);
        for (long from = 0; from < size; from += CHUNK) {
            zip.putNextEntry(new ZipEntry(String.format("entries/%012d.ndjson", from)));
            for (long at = from; at < Math.min(size, from + CHUNK); at += 1000) {
                List<Map.Entry<StoredEntry, StoredBody>> page = source.entries(at, 1000);
                for (Map.Entry<StoredEntry, StoredBody> e : page) {
                    zip.write(line(e.getKey(), e.getValue()));
                }
                progress.update(at + page.size(), size);
            }
            zip.closeEntry();
        }
        int evidence = 0;
        String after = null;
        while (true) {
            String a = after;
            List<String> hashes = store.read(tx -> tx.evidenceHashes(a, 100));
            for (String sha : hashes) {
                StoredEvidence ev = store.read(tx -> tx.evidence(sha)).orElseThrow();
                ObjectNode meta = JsonNodeFactory.instance.objectNode().put("mediaType", ev.mediaType())
                        .put("uploader", ev.uploader()).put("received", ev.received().toString());
                put(zip, "evidence/" + sha + ".json", Json.canonical(meta));
                put(zip, "evidence/" + sha, ev.data());
                evidence++;
            }
            if (hashes.size() < 100) {
                break;
            }
            after = hashes.get(hashes.size() - 1);
        }
        Manifest m = new Manifest(cp.origin(), size, cp.root(), (Hash) head[2], Instant.now(), evidence);
        ObjectNode manifest = JsonNodeFactory.instance.objectNode().put("format", FORMAT).put("origin", m.origin())
                .put("size", m.size()).put("root", m.root().base64()).put("stateDigest", m.stateDigest().base64())
                .put("taken", m.taken().toString()).put("evidence", m.evidence());
        put(zip, MANIFEST, Json.canonical(manifest));
        zip.finish();
        zip.flush();
        return m;
    }

    /**
     * Restores a backup into {@code dataDir}, which must not hold a log, with its state in
     * {@code dbUrl} (an empty PostgreSQL database) or the embedded database in {@code dataDir}; returns
     * the manifest, whose root and state digest the restored log has been checked to reach.
     *
     * @throws BackupException naming what in the file is wrong or does not replay
     */
    public static Manifest restore(Path file, Path dataDir, @Nullable String dbUrl, Progress progress)
            throws IOException, BackupException {
        if (Files.exists(dataDir) && (!Files.isDirectory(dataDir) || Files.list(dataDir).findAny().isPresent())) {
            throw new BackupException(dataDir + " is not empty; restore into a new or empty directory");
        }
        // Built beside it and moved into place whole: a restore that fails leaves nothing behind.
        Path parent = dataDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path building = Files.createTempDirectory(parent, ".truce-restore-");
        try {
            Manifest m = restoreInto(file, building, dbUrl, progress);
            Files.deleteIfExists(dataDir);
            Files.move(building, dataDir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return m;
        } finally {
            if (Files.exists(building)) {
                org.truce.server.node.Node.deleteTree(building);
            }
        }
    }

    private static Manifest restoreInto(Path file, Path dataDir, @Nullable String dbUrl, Progress progress)
            throws IOException, BackupException {
        try (ZipFile zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8)) {
            Manifest m = manifest(zip);
            byte[] checkpoint = read(zip, "checkpoint", SignedNote.MAX_SIZE);
            Checkpoint cp;
            try {
                cp = parse(checkpoint);
            } catch (IllegalStateException e) {
                throw new BackupException("checkpoint: " + e.getMessage());
            }
            if (cp.size() != m.size() || !cp.root().equals(m.root()) || !cp.origin().equals(m.origin())) {
                throw new BackupException("checkpoint: size " + cp.size() + " and root " + cp.root()
                        + " are not the manifest's size " + m.size() + " and root " + m.root());
            }
            for (String key : List.of(Node.CHECKPOINT_KEY, Node.ENTRY_KEY)) {
                KeyFiles.writeNew(dataDir.resolve(key), new String(read(zip, "keys/" + key, 4096), StandardCharsets.US_ASCII).strip());
            }
            Store target = dbUrl == null ? Store.sqlite(dataDir) : Store.open(dbUrl);
            try {
                if (target.read(tx -> tx.size()) != 0) {
                    throw new BackupException("the database to restore into is not empty");
                }
                new Rebuild(Ledger.standard()).run(new ZipSource(zip, m.size(), checkpoint), target, progress::update);
                evidence(zip, target);
                Hash digest = target.read(StateDigest::of);
                if (!digest.equals(m.stateDigest())) {
                    throw new BackupException("the restored state has digest " + digest + ", the backup's " + m.stateDigest());
                }
                return m;
            } catch (RebuildException e) {
                throw new BackupException("entry " + e.index() + " does not replay: " + e.getMessage());
            } catch (IllegalStateException | java.io.UncheckedIOException e) {
                throw new BackupException(e.getMessage());
            } finally {
                target.close();
            }
        }
    }

    private static void evidence(ZipFile zip, Store target) throws IOException, BackupException {
        List<String> names = zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("evidence/") && !n.endsWith(".json"))
                .sorted().toList();
        for (String name : names) {
            String sha = name.substring("evidence/".length());
            byte[] data = read(zip, name, MAX_EVIDENCE);
            if (!Hash.of(org.truce.tlog.merkle.Rfc9162.newDigest().digest(data)).hex().equals(sha)) {
                throw new BackupException(name + ": the file does not hash to its name");
            }
            JsonNode meta = json(read(zip, name + ".json", 4096), name + ".json");
            StoredEvidence ev = new StoredEvidence(sha, meta.path("mediaType").asText(), data, meta.path("uploader").asText(),
                    Instant.parse(meta.path("received").asText()));
            target.write(tx -> tx.putEvidence(ev));
        }
    }

    /** The entries of a backup, read chunk by chunk as the replay asks for them. */
    private static final class ZipSource implements Rebuild.Source {
        private final ZipFile zip;
        private final long size;
        private final byte[] checkpoint;

        ZipSource(ZipFile zip, long size, byte[] checkpoint) {
            this.zip = zip;
            this.size = size;
            this.checkpoint = checkpoint;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public byte[] checkpoint() {
            return checkpoint;
        }

        @Override
        public List<Map.Entry<StoredEntry, StoredBody>> entries(long from, int limit) {
            long chunk = from / CHUNK * CHUNK;
            String name = String.format("entries/%012d.ndjson", chunk);
            ZipEntry z = zip.getEntry(name);
            if (z == null) {
                throw new IllegalStateException(name + " is missing");
            }
            List<Map.Entry<StoredEntry, StoredBody>> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(zip.getInputStream(z), StandardCharsets.UTF_8))) {
                String text;
                long at = chunk;
                while ((text = r.readLine()) != null && out.size() < limit) {
                    if (text.length() > MAX_LINE) {
                        throw new IllegalStateException(name + ": entry " + at + " is longer than " + MAX_LINE + " characters");
                    }
                    if (at >= from) {
                        Map.Entry<StoredEntry, StoredBody> e = entry(text, name);
                        if (e.getKey().index() != at) {
                            throw new IllegalStateException(name + ": entry " + e.getKey().index() + " where " + at + " belongs");
                        }
                        out.add(e);
                    }
                    at++;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return out;
        }
    }

    // ---- the format ----

    static byte[] line(StoredEntry e, StoredBody b) {
        Base64.Encoder b64 = Base64.getEncoder();
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("index", e.index()).put("leaf", b64.encodeToString(e.leaf()))
                .put("leafHash", e.leafHash().base64()).put("headerHash", e.headerHash().base64()).put("kind", e.kind())
                .put("author", e.author()).put("received", e.received().toString())
                .put("body", b64.encodeToString(b.canonicalBody())).put("salt", b64.encodeToString(b.salt()));
        o.set("visibility", b.visibility().toJson());
        byte[] c = Json.canonical(o);
        byte[] out = java.util.Arrays.copyOf(c, c.length + 1);
        out[c.length] = '\n';
        return out;
    }

    static Map.Entry<StoredEntry, StoredBody> entry(String text, String where) {
        try {
            JsonNode o = Json.parse(text.getBytes(StandardCharsets.UTF_8));
            Base64.Decoder b64 = Base64.getDecoder();
            long index = o.path("index").asLong(-1);
            StoredEntry e = new StoredEntry(index, Hash.fromBase64(o.path("leafHash").asText(), "leafHash"),
                    Hash.fromBase64(o.path("headerHash").asText(), "headerHash"), b64.decode(o.path("leaf").asText()),
                    o.path("kind").asText(), o.path("author").asText(), Instant.parse(o.path("received").asText()));
            StoredBody b = new StoredBody(index, b64.decode(o.path("body").asText()), b64.decode(o.path("salt").asText()),
                    Visibility.fromJson(o.path("visibility")), o.path("author").asText());
            return Map.entry(e, b);
        } catch (InvalidJsonException | FormatException | EntryException | IllegalArgumentException
                | java.time.format.DateTimeParseException ex) {
            throw new IllegalStateException(where + ": an entry does not parse: " + ex.getMessage(), ex);
        }
    }

    private static Manifest manifest(ZipFile zip) throws IOException, BackupException {
        JsonNode o = json(read(zip, MANIFEST, 64 * 1024), MANIFEST);
        if (!FORMAT.equals(o.path("format").asText())) {
            throw new BackupException(MANIFEST + ": format '" + o.path("format").asText() + "' is not " + FORMAT);
        }
        try {
            return new Manifest(o.path("origin").asText(), o.path("size").asLong(), Hash.fromBase64(o.path("root").asText(), "root"),
                    Hash.fromBase64(o.path("stateDigest").asText(), "stateDigest"), Instant.parse(o.path("taken").asText()),
                    o.path("evidence").asInt());
        } catch (FormatException | java.time.format.DateTimeParseException e) {
            throw new BackupException(MANIFEST + ": " + e.getMessage());
        }
    }

    private static JsonNode json(byte[] bytes, String name) throws BackupException {
        try {
            return Json.parse(bytes);
        } catch (InvalidJsonException e) {
            throw new BackupException(name + ": " + e.getMessage());
        }
    }

    private static byte[] read(ZipFile zip, String name, long max) throws IOException, BackupException {
        ZipEntry z = zip.getEntry(name);
        if (z == null) {
            throw new BackupException(name + " is missing from the backup");
        }
        try (InputStream in = zip.getInputStream(z)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (data.length > max) {
                throw new BackupException(name + " is larger than " + max + " bytes");
            }
            return data;
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    private static Checkpoint parse(byte[] note) {
        try {
            return Checkpoint.parse(SignedNote.parse(note).text());
        } catch (FormatException e) {
            throw new IllegalStateException("the checkpoint is malformed: " + e.getMessage(), e);
        }
    }
}
