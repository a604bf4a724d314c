package org.truce.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.EntrySigner;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.server.access.Sessions;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.NoteKeys;

/**
 * Reads a server's JSON API as the public or, when given a party's key, as that party after the
 * server's challenge-signed login; the private key never leaves this process. Every failure is a
 * {@link CliException}: the server's problem detail for a refused request, a network or server
 * failure otherwise. Not thread-safe.
 */
public final class ApiReader {
    /** The largest answer read from the server. */
    static final int MAX_ANSWER = 16 << 20;
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final @Nullable String at;
    private @Nullable String token;

    private ApiReader(String base, @Nullable String at) {
        this.base = base;
        this.at = at;
    }

    /** A reader of the server the options name, signed in when they give a key. */
    public static ApiReader open(ReadOptions o) throws InterruptedException {
        String base = o.server.endsWith("/") ? o.server.substring(0, o.server.length() - 1) : o.server;
        try {
            URI u = URI.create(base);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--server: '" + o.server + "' is not an http:// or https:// URL");
        }
        ApiReader r = new ApiReader(base, o.at == null ? null : parseAt(o.at));
        if (o.key != null) {
            r.login(o.key);
        }
        return r;
    }

    /** The moment {@code --at} names, as the API writes times (RFC 3339 in UTC). */
    static String parseAt(String text) {
        try {
            if (DATE.matcher(text).matches()) {
                return EntryHeader.formatTime(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            return EntryHeader.formatTime(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            throw new CliException(ExitCodes.USAGE, "--at: '" + text + "' is not a time; give an RFC 3339 time such as "
                    + "2016-09-20T00:00:00Z, or a date such as 2016-09-20");
        }
    }

    /** The moment asked for, or null for the server's now. */
    public @Nullable String at() {
        return at;
    }

    /** Signs the server's challenge with the party key in {@code keyFile} and keeps the session. */
    private void login(Path keyFile) throws InterruptedException {
        String privateKey;
        EntrySigner signer;
        try {
            privateKey = Files.readString(keyFile).strip();
            signer = EntrySigner.fromPrivateKey(privateKey);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "--key: " + keyFile + ": no such file");
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "--key: cannot read " + keyFile + ": " + e.getMessage());
        } catch (FormatException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "--key: " + keyFile + " is not a party's private key: "
                    + e.getMessage());
        }
        String challenge = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login/challenge"))
                .POST(HttpRequest.BodyPublishers.noBody()), "/api/v1/login/challenge").path("challenge").asText("");
        byte[] sig;
        try {
            sig = NoteKeys.parseSigner(privateKey).sign(Sessions.signedMessage(challenge));
        } catch (FormatException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "--key: " + keyFile + " is not a party's private key: "
                    + e.getMessage());
        }
        ObjectNode req = JsonNodeFactory.instance.objectNode().put("key", signer.keyRef()).put("challenge", challenge)
                .put("sig", Base64.getEncoder().encodeToString(sig));
        token = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(req.toString())), "login as " + signer.keyRef())
                .path("token").asText();
    }

    /** GETs {@code path} with {@code ?at=} when a moment was asked for. */
    public JsonNode get(String path) throws InterruptedException {
        return get(path, Map.of());
    }

    /**
     * GETs {@code path} with the given query parameters, null values left out, and {@code ?at=} unless
     * the query names it (with null: not sent).
     */
    public JsonNode get(String path, Map<String, @Nullable String> query) throws InterruptedException {
        return send(request(path, query), path);
    }

    /**
     * GETs {@code path} as {@link #get(String, Map)} does and writes the answer's bytes, of any type
     * and size, to {@code out}; a refusal is the server's problem detail.
     */
    public void download(String path, Map<String, @Nullable String> query, java.io.OutputStream out) throws InterruptedException {
        HttpResponse<InputStream> r;
        try {
            r = http.send(request(path, query).timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() >= 400) {
                    byte[] problem = in.readNBytes(MAX_ANSWER);
                    String detail;
                    try {
                        JsonNode j = Json.parse(problem);
                        detail = j.path("detail").asText(j.path("title").asText("HTTP " + r.statusCode()));
                    } catch (InvalidJsonException e) {
                        detail = "HTTP " + r.statusCode();
                    }
                    throw new CliException(r.statusCode() >= 500 ? ExitCodes.STORAGE : ExitCodes.BAD_INPUT, detail);
                }
                in.transferTo(out);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.STORAGE, "cannot read " + path + " from " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private HttpRequest.Builder request(String path, Map<String, @Nullable String> query) {
        Map<String, @Nullable String> q = new LinkedHashMap<>(query);
        if (at != null && !q.containsKey("at")) {
            q.put("at", at);
        }
        StringBuilder url = new StringBuilder(base).append(path);
        char sep = '?';
        for (Map.Entry<String, @Nullable String> e : q.entrySet()) {
            if (e.getValue() != null) {
                url.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString())).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** The server's base URL, without a trailing slash. */
    public String base() {
        return base;
    }

    /** POSTs a JSON body to {@code path} and reads the JSON answer; a refusal is the server's problem detail. */
    public JsonNode post(String path, String json) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b, path);
    }

    /** A path segment, escaped. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(HttpRequest.Builder request, String what) throws InterruptedException {
        HttpResponse<InputStream> r;
        byte[] body;
        try {
            r = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                body = in.readNBytes(MAX_ANSWER + 1);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.STORAGE, "cannot reach " + base + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (body.length > MAX_ANSWER) {
            throw new CliException(ExitCodes.STORAGE, what + ": the server's answer is larger than " + MAX_ANSWER + " bytes");
        }
        JsonNode json;
        try {
            json = Json.parse(body);
        } catch (InvalidJsonException e) {
            throw new CliException(ExitCodes.STORAGE, what + ": the server answered " + r.statusCode() + " without JSON");
        }
        if (r.statusCode() >= 400) {
            String detail = json.path("detail").asText(json.path("title").asText("HTTP " + r.statusCode()));
            throw new CliException(r.statusCode() >= 500 ? ExitCodes.STORAGE : ExitCodes.BAD_INPUT,
                    (what.startsWith("login") ? what + " refused: " : "") + detail);
        }
        return json;
    }
}
