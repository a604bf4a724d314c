package org.truce.tlog.note;

import org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint;

/** What every Ed25519 verifier holds: its key name, key ID, decoded public key and vkey. Immutable. */
abstract class PublicKeyVerifier implements Verifier {
    private final String name;
    private final int id;
    final PublicPoint key;
    private final String vkey;

    PublicKeyVerifier(String name, int id, PublicPoint key, String vkey) {
        this.name = name;
        this.id = id;
        this.key = key;
        this.vkey = vkey;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int keyId() {
        return id;
    }

    @Override
    public final String vkey() {
        return vkey;
    }

    @Override
    public final String toString() {
        return vkey;
    }
}
