package org.truce.store;

import java.security.MessageDigest;
import java.util.List;
import org.truce.core.state.Doc;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.merkle.Rfc9162;

/**
 * The digest of the whole derived state: SHA-256 over every document's canonical form, in
 * (collection, id) order, each preceded by its length as 4 big-endian bytes. Equal digests mean
 * equal states, whatever engine holds them; {@code truce rebuild} proves the projection with it.
 */
public final class StateDigest {
    private static final int PAGE = 1000;

    private StateDigest() {}

    public static Hash of(ReadTx tx) {
        MessageDigest md = Rfc9162.newDigest();
        String collection = null;
        String id = null;
        while (true) {
            List<Doc> page = tx.allDocs(collection, id, PAGE);
            for (Doc d : page) {
                byte[] c = d.canonical();
                md.update(new byte[] {(byte) (c.length >>> 24), (byte) (c.length >>> 16), (byte) (c.length >>> 8), (byte) c.length});
                md.update(c);
            }
            if (page.size() < PAGE) {
                return Hash.of(md.digest());
            }
            Doc last = page.get(page.size() - 1);
            collection = last.collection();
            id = last.id();
        }
    }
}
