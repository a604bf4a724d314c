package org.truce.tlog.note;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One signature line of a note: {@code — <name> base64(key ID ‖ signature)}. Immutable. */
public final class NoteSignature {
    private final String name;
    private final int keyId;
    private final byte[] signature;

    public NoteSignature(String name, int keyId, byte[] signature) {
        NoteKeys.requireName(name);
        if (signature.length == 0) {
            throw new IllegalArgumentException("empty signature");
        }
        this.name = name;
        this.keyId = keyId;
        this.signature = signature.clone();
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    /** The signature bytes after the key ID. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The line as it appears in a note, with its final newline. */
    public String line() {
        byte[] b = ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
        return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(b) + "\n";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof NoteSignature s && s.name.equals(name) && s.keyId == keyId
                && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyId, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return line().strip();
    }
}
