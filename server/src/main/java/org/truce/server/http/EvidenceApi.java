package org.truce.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.truce.core.access.Reader;
import org.truce.core.incident.IncidentRules;
import org.truce.server.http.ApiServer.BadRequest;
import org.truce.store.Store;
import org.truce.store.StoredEvidence;

/**
 * Evidence files: uploaded by a signed-in party, stored once under the SHA-256 of their bytes, and
 * referred to from entries by that hash, so the log holds the hash and anyone can check a download
 * against it. Uploads are bounded in size, limited to an allowlist of media types, and their bytes
 * must look like the type declared. A file may be downloaded by its uploader and by whoever may read
 * an entry that refers to it; every download is checked against its hash first. Thread-safe.
 */
final class EvidenceApi {
    /** The largest evidence file, as the schemas bound {@code size}. */
    static final int MAX_SIZE = 25 * 1024 * 1024;
    /** The collections whose documents may refer to evidence. */
    private static final List<String> REFERRERS = List.of(IncidentRules.INCIDENTS, IncidentRules.VERSIONS,
            IncidentRules.OBSERVATIONS, IncidentRules.CLAIMS, IncidentRules.ASSESSMENTS);
    private static final Map<String, String> EXTENSIONS = Map.of("image/jpeg", "jpg", "image/png", "png",
            "application/pdf", "pdf", "video/mp4", "mp4", "audio/mpeg", "mp3", "text/plain", "txt");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Store store;
    private final Clock clock;
    private final Function<Context, Reader> readers;

    EvidenceApi(Store store, Clock clock, Function<Context, Reader> readers) {
        this.store = store;
        this.clock = clock;
        this.readers = readers;
    }

    /** {@code POST /api/v1/evidence}: stores the request body as evidence and answers its hash. */
    void upload(Context ctx) {
        String party = readers.apply(ctx).partyId().orElseThrow(() -> new BadRequest(401, "login-required",
                "sign in first", "evidence is uploaded by a signed-in party; log in with a party key"));
        String type = mediaType(ctx.header("Content-Type"));
        byte[] data = bounded(ctx);
        if (data.length == 0) {
            throw new BadRequest(400, "empty-evidence", "no file", "the request body is empty");
        }
        if (!looksLike(type, data)) {
            throw new BadRequest(415, "evidence-type-mismatch", "the file is not of its declared type",
                    "the bytes do not look like " + type + "; declare the file's real type");
        }
        String sha = HexFormat.of().formatHex(sha256(data));
        boolean created = store.write(tx -> tx.putEvidence(new StoredEvidence(sha, type, data, party, clock.instant())));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("sha256", sha);
        o.put("type", type);
        o.put("size", data.length);
        o.put("stored", created ? "new" : "already stored");
        ctx.header("Location", "/api/v1/evidence/" + sha);
        ApiServer.json(ctx, created ? 201 : 200, o);
    }

    /** {@code GET /api/v1/evidence/{sha256}}: the file, if the reader may see it, checked against its hash. */
    void download(Context ctx) {
        String sha = ctx.pathParam("sha256");
        if (!SHA256.matcher(sha).matches()) {
            throw new BadRequest(400, "bad-sha256", "not a SHA-256", "sha256: give 64 lowercase hex digits");
        }
        Reader reader = readers.apply(ctx);
        BadRequest none = new BadRequest(404, "not-found", "no such evidence", "no evidence " + sha + " that you may read");
        StoredEvidence e = store.read(tx -> {
            var found = tx.evidence(sha);
            if (found.isEmpty()) {
                return null;
            }
            boolean uploader = reader.partyId().map(p -> p.equals(found.get().uploader())).orElse(false);
            String key = IncidentRules.evidenceKey(sha);
            boolean referred = REFERRERS.stream().anyMatch(c -> tx.findAll(c, key, 100_000).stream().anyMatch(reader::mayRead));
            return uploader || referred ? found.get() : null;
        });
        if (e == null) {
            throw none;
        }
        byte[] data = e.data();
        if (!HexFormat.of().formatHex(sha256(data)).equals(sha)) {
            throw new BadRequest(500, "evidence-corrupt", "the stored file does not match its hash",
                    "evidence " + sha + " no longer hashes to its name; it is withheld");
        }
        ctx.header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", "attachment; filename=\"" + sha + "." + EXTENSIONS.get(e.mediaType()) + "\"")
                .header("Cache-Control", "private, max-age=31536000, immutable")
                .header("ETag", "\"" + sha + "\"")
                .contentType(e.mediaType()).result(data);
    }

    private static String mediaType(String header) {
        String t = header == null ? "" : header.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!EXTENSIONS.containsKey(t)) {
            throw new BadRequest(415, "evidence-type-refused", "this type of file is not taken", "Content-Type: '"
                    + Params.truncate(t) + "' is not one of " + String.join(", ", new java.util.TreeSet<>(EXTENSIONS.keySet())));
        }
        return t;
    }

    private static byte[] bounded(Context ctx) {
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] data = in.readNBytes(MAX_SIZE + 1);
            if (data.length > MAX_SIZE) {
                throw tooLarge();
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BadRequest tooLarge() {
        return new BadRequest(413, "too-large", "the file is too large", "an evidence file is at most " + MAX_SIZE + " bytes");
    }

    /** Whether the bytes start as files of the type do, so that a declared type cannot hide another. */
    static boolean looksLike(String type, byte[] d) {
        return switch (type) {
            case "image/jpeg" -> starts(d, 0xFF, 0xD8, 0xFF);
            case "image/png" -> starts(d, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
            case "application/pdf" -> starts(d, '%', 'P', 'D', 'F', '-');
            case "video/mp4" -> d.length >= 12 && d[4] == 'f' && d[5] == 't' && d[6] == 'y' && d[7] == 'p';
            case "audio/mpeg" -> starts(d, 'I', 'D', '3') || (d.length >= 2 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xE0) == 0xE0);
            case "text/plain" -> utf8Text(d);
            default -> false;
        };
    }

    private static boolean starts(byte[] d, int... magic) {
        if (d.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((d[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean utf8Text(byte[] d) {
        for (byte b : d) {
            if (b == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(d));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
