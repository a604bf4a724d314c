package org.truce.tlog.append;

import java.util.List;
import java.util.Optional;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import org.truce.tlog.VerificationException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.ProofVerifier;
import org.truce.tlog.merkle.Proofs;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.tiles.EntryBundle;
import org.truce.tlog.tiles.TileBuilder;
import org.truce.tlog.tiles.TileNodeReader;
import org.truce.tlog.tiles.TilePath;
import org.truce.tlog.tiles.TileStorage;

/**
 * Appends batches of entries to a log in tile storage and signs a checkpoint per batch. The
 * checkpoint is written last, after every tile it covers, so readers never see a checkpoint whose
 * tiles are missing.
 *
 * <p>Before signing, the appender proves from the tiles as stored that the new tree is consistent
 * with the last checkpoint it signed; if not (a tile changed under it, storage is corrupt), it
 * refuses to sign and refuses every later batch. Thread-safe: appends are serialised.
 */
public final class Appender {
    /** The path of the checkpoint in tile storage. */
    public static final String CHECKPOINT = "checkpoint";

    private final TileStorage storage;
    private final Signer signer;
    private final TileBuilder builder;
    private Checkpoint.Signed last;
    private boolean failed;

    private Appender(TileStorage storage, Signer signer, TileBuilder builder, Checkpoint.Signed last) {
        this.storage = storage;
        this.signer = signer;
        this.builder = builder;
        this.last = last;
    }

    /** The outcome of one batch: where it starts, how many entries, and the checkpoint covering them. */
    public record Result(long firstIndex, int count, Checkpoint.Signed checkpoint) {}

    /**
     * Opens the log in {@code storage} whose origin is the signer's key name, creating it with a
     * signed empty checkpoint if the storage holds none.
     *
     * @throws TlogException if the stored checkpoint is not signed by this key or its tiles do not
     *     lead to its root
     */
    public static Appender open(TileStorage storage, Signer signer) {
        Optional<byte[]> stored = storage.read(CHECKPOINT);
        if (stored.isEmpty()) {
            TileBuilder b = TileBuilder.empty(true);
            Checkpoint.Signed cp = sign(signer, new Checkpoint(signer.name(), 0, b.root()));
            storage.write(CHECKPOINT, cp.note().encode());
            return new Appender(storage, signer, b, cp);
        }
        Checkpoint.Signed cp;
        try {
            cp = Checkpoint.open(stored.get(), signer.verifier());
        } catch (FormatException | VerificationException e) {
            throw new TlogException("the checkpoint in " + storage.describe() + " is not this log's: " + e.getMessage(), e);
        }
        TileBuilder b = TileBuilder.resume(storage, cp.checkpoint().size(), true);
        if (!b.root().equals(cp.checkpoint().root())) {
            throw new TlogException("the tiles in " + storage.describe() + " lead to root " + b.root()
                    + ", not the checkpoint's " + cp.checkpoint().root());
        }
        discardUnsigned(storage, cp.checkpoint().size());
        return new Appender(storage, signer, b, cp);
    }

    /**
     * Deletes the tiles and bundles that reach beyond a tree of {@code size} entries: what an append
     * interrupted before its checkpoint left behind. No checkpoint covers them, and once later
     * entries differ they would no longer be prefixes of the tiles replacing them, which an audit
     * rightly reports. Storage that cannot be listed is left as it is.
     */
    private static void discardUnsigned(TileStorage storage, long size) {
        for (String p : storage.list().orElse(List.of())) {
            TilePath t;
            try {
                t = TilePath.parse(p);
            } catch (FormatException e) {
                continue;
            }
            int shift = t.isEntries() ? 0 : TilePath.HEIGHT * t.level();
            long items = shift >= Long.SIZE ? 0 : size >>> shift;
            if (t.index() * TilePath.WIDTH + t.width() > items) {
                storage.delete(p);
            }
        }
    }

    /** The latest signed checkpoint. */
    public synchronized Checkpoint.Signed checkpoint() {
        return last;
    }

    /**
     * Appends entries (each at most 65,535 bytes), writes the tiles they complete and the partial
     * tiles of the new size, then signs and writes a checkpoint covering them.
     */
    public synchronized Result append(List<byte[]> entries) {
        if (failed) {
            throw new TlogException("this appender refused to sign an inconsistent checkpoint and is closed");
        }
        for (byte[] e : entries) {
            EntryBundle.checkEntry(e);
        }
        byte[] stored = storage.read(CHECKPOINT).orElse(new byte[0]);
        if (!java.util.Arrays.equals(stored, last.note().encode())) {
            failed = true;
            throw new TlogException("the checkpoint in " + storage.describe()
                    + " changed under this appender: another appender is writing to this log");
        }
        long first = builder.size();
        if (entries.isEmpty()) {
            return new Result(first, 0, last);
        }
        try {
            TileBuilder.Sink write = (path, data) -> storage.write(path.path(), data);
            for (byte[] e : entries) {
                builder.add(e, write);
            }
            builder.flushPartials(write);
            Checkpoint next = new Checkpoint(signer.name(), builder.size(), builder.root());
            checkConsistent(last.checkpoint(), next);
            Checkpoint.Signed cp = sign(signer, next);
            storage.write(CHECKPOINT, cp.note().encode());
            last = cp;
            return new Result(first, entries.size(), cp);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void checkConsistent(Checkpoint old, Checkpoint next) {
        if (old.size() == 0) {
            return;
        }
        TileNodeReader nodes = new TileNodeReader(storage, next.size(), 16);
        Hash storedRoot = Proofs.root(nodes, next.size());
        if (!storedRoot.equals(next.root())) {
            throw new TlogException("refusing to sign: the stored tiles lead to root " + storedRoot
                    + ", not " + next.root());
        }
        List<Hash> proof = Proofs.consistency(nodes, old.size(), next.size());
        try {
            ProofVerifier.verifyConsistency(old.size(), next.size(), proof, old.root(), next.root());
        } catch (VerificationException e) {
            throw new TlogException("refusing to sign a checkpoint of size " + next.size()
                    + " inconsistent with the signed one of size " + old.size() + ": " + e.getMessage(), e);
        }
    }

    private static Checkpoint.Signed sign(Signer signer, Checkpoint c) {
        return new Checkpoint.Signed(c, SignedNote.sign(c.text(), signer), List.of(signer.verifier()));
    }

    @Override
    public String toString() {
        return "Appender[" + signer.name() + " at " + storage.describe() + "]";
    }
}
