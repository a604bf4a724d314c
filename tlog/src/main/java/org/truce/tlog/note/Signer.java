package org.truce.tlog.note;

/** Signs note texts under a key name and key ID. Implementations MUST be thread-safe. */
public interface Signer {
    String name();

    /** The 32-bit key ID written in front of each signature. */
    int keyId();

    /** The signature bytes over the note text, without the key ID. */
    byte[] sign(byte[] text);

    /** The verifier of this signer's public key. */
    Verifier verifier();
}
