package org.truce.store;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * An evidence file as stored: its bytes under their SHA-256 (lowercase hex), its media type, who
 * uploaded it and when. The store keeps what it is given; callers check the hash on the way in and
 * on the way out.
 */
public record StoredEvidence(String sha256, String mediaType, byte[] data, String uploader, Instant received) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public StoredEvidence {
        if (!HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("an evidence hash is 64 lowercase hex digits");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }
}
