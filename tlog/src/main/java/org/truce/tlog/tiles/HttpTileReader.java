package org.truce.tlog.tiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.truce.tlog.TlogException;

/**
 * Reads a log published over HTTP(S) under a base URL in the C2SP static layout. Responses are
 * bounded in size before they are buffered. Thread-safe.
 */
public final class HttpTileReader implements TileReader {
    /** The largest resource read: a full entry bundle of maximal entries, with room to spare. */
    public static final int MAX_RESPONSE_BYTES = 256 * (2 + 0xFFFF) + 1024;

    private final URI base;
    private final HttpClient client;
    private final Duration timeout;

    public HttpTileReader(URI base, Duration timeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public Optional<byte[]> read(String path) {
        URI uri = base.resolve(path);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() == 404) {
                    return Optional.empty();
                }
                if (resp.statusCode() != 200) {
                    throw new TlogException("GET " + uri + " answered HTTP " + resp.statusCode());
                }
                byte[] data = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                if (data.length > MAX_RESPONSE_BYTES) {
                    throw new TlogException("GET " + uri + " answered more than " + MAX_RESPONSE_BYTES + " bytes");
                }
                return Optional.of(data);
            }
        } catch (IOException e) {
            throw new TlogException("GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TlogException("GET " + uri + " was interrupted", e);
        }
    }

    @Override
    public String describe() {
        return base.toString();
    }
}
