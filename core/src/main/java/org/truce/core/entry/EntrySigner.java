package org.truce.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.truce.tlog.FormatException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;

/**
 * Signs entries as a party, the way any client does: the party's key is a signed-note Ed25519 key
 * whose name is the party id, and the entry's {@code key} field is {@code <party>+<hex key ID>}.
 * Thread-safe.
 */
public final class EntrySigner {
    private final Signer signer;
    private final SecureRandom random;

    public EntrySigner(Signer signer, SecureRandom random) {
        if (!PartyId.isValid(signer.name())) {
            throw new IllegalArgumentException("key name '" + signer.name() + "' is not a party id");
        }
        this.signer = signer;
        this.random = random;
    }

    /** A signer from a private key string {@code PRIVATE+KEY+<party>+…}. */
    public static EntrySigner fromPrivateKey(String privateKey) throws FormatException {
        return new EntrySigner(NoteKeys.parseSigner(privateKey), new SecureRandom());
    }

    public String party() {
        return signer.name();
    }

    /** The key reference written in entries: {@code <party>+<8 hex digits>}. */
    public String keyRef() {
        return keyRef(signer.name(), signer.keyId());
    }

    public static String keyRef(String party, int keyId) {
        return party + "+" + String.format("%08x", keyId);
    }

    /** The public key in vkey form, as registered for the party. */
    public String vkey() {
        return signer.verifier().vkey();
    }

    /** Builds and signs a submission; restricted bodies get a fresh random salt. */
    public Submission sign(String kind, JsonNode body, Visibility visibility, List<Hash> refs, long seq, Instant at) {
        byte[] salt = new byte[visibility.restricted() ? Submission.SALT_SIZE : 0];
        random.nextBytes(salt);
        EntryHeader unsigned = new EntryHeader(EntryHeader.VERSION, kind, signer.name(), keyRef(), seq, at,
                visibility, Submission.digest(salt, body), refs, null);
        EntryHeader signed = unsigned.withSig(signer.sign(unsigned.signingBytes()));
        try {
            return Submission.of(signed, body, salt);
        } catch (EntryException e) {
            throw new IllegalStateException("a freshly signed submission does not check: " + e.getMessage(), e);
        }
    }
}
