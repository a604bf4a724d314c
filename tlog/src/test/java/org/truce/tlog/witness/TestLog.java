package org.truce.tlog.witness;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.truce.tlog.FormatException;
import org.truce.tlog.checkpoint.Checkpoint;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.MemoryTree;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.note.Signer;
import org.truce.tlog.note.Verifier;

/** A log in memory with its own key, signing checkpoints of any size of its tree; and witness keys. */
public final class TestLog {
    public final String origin;
    public final Signer signer;
    public final MemoryTree tree = new MemoryTree();

    public TestLog(String origin) {
        this.origin = origin;
        try {
            this.signer = NoteKeys.parseSigner(NoteKeys.generate(origin, NoteKeys.TYPE_ED25519, new SecureRandom()).privateKey());
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
    }

    /** Another log under the same key, such as a fork the operator keeps in secret. */
    public TestLog(String origin, Signer signer) {
        this.origin = origin;
        this.signer = signer;
    }

    public Verifier key() {
        return signer.verifier();
    }

    /** Appends entries named {@code prefix-i} until the tree has {@code size} leaves. */
    public TestLog grow(long size, String prefix) {
        while (tree.size() < size) {
            tree.appendEntry((prefix + "-" + tree.size()).getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public SignedNote checkpoint() {
        return checkpoint(tree.size());
    }

    public SignedNote checkpoint(long size) {
        Hash root = size == 0 ? org.truce.tlog.merkle.Rfc9162.EMPTY_ROOT : tree.root(size);
        return SignedNote.sign(new Checkpoint(origin, size, root).text(), signer);
    }

    public List<Hash> proof(long from, long to) {
        return from == 0 || from == to ? List.of() : tree.consistency(from, to);
    }

    public AddCheckpoint request(long old) {
        return new AddCheckpoint(old, proof(old, tree.size()), checkpoint());
    }

    public static CosignatureV1.Cosigner cosigner(String name, long time) {
        try {
            return NoteKeys.parseCosigner(CosignatureV1.generate(name, new SecureRandom()).privateKey(),
                    Clock.fixed(Instant.ofEpochSecond(time), ZoneOffset.UTC));
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
    }

    public static CosignatureV1.Cosigner cosigner(String name) {
        try {
            return NoteKeys.parseCosigner(CosignatureV1.generate(name, new SecureRandom()).privateKey(), Clock.systemUTC());
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
    }
}
