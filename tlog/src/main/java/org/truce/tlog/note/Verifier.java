package org.truce.tlog.note;

/** Verifies note signatures of one key. Implementations MUST be thread-safe. */
public interface Verifier {
    String name();

    int keyId();

    /** Whether {@code signature} (without the key ID) is valid over the note text. */
    boolean verify(byte[] text, byte[] signature);

    /** The verifier key string, {@code <name>+<hex key ID>+<base64(type ‖ public key)>}. */
    String vkey();
}
