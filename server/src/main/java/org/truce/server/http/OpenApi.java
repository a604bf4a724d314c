package org.truce.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI 3.1 document of the HTTP API, served at {@code /api/v1/openapi.json}. */
public final class OpenApi {
    private static final byte[] DOCUMENT = load();

    private OpenApi() {}

    /** The document's bytes (UTF-8 JSON). */
    public static byte[] document() {
        return DOCUMENT.clone();
    }

    private static byte[] load() {
        try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
