package org.truce.store;

import org.truce.core.entry.Visibility;

/**
 * The body of an entry as stored beside the log: its canonical JSON, the salt of its digest (empty
 * for public bodies) and who may read it.
 */
public record StoredBody(long index, byte[] canonicalBody, byte[] salt, Visibility visibility, String author) {
    public StoredBody {
        canonicalBody = canonicalBody.clone();
        salt = salt.clone();
    }

    @Override
    public byte[] canonicalBody() {
        return canonicalBody.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }
}
