package org.truce.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Submission;
import org.truce.core.access.Reader;
import org.truce.core.entry.PartyId;
import org.truce.core.hotline.Hotline;
import org.truce.core.party.Keys;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.core.kind.Kinds;
import org.truce.server.sequencer.OverloadedException;
import org.truce.server.sequencer.Receipt;
import org.truce.server.sequencer.Sequencer;
import org.truce.server.access.Sessions;
import org.truce.store.Logins;
import org.truce.store.Store;
import org.truce.store.StoreException;
import org.truce.store.StoredBody;
import org.truce.store.StoredEntry;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.proof.TlogProof;
import org.truce.tlog.tiles.TilePath;

/**
 * The HTTP face of a Truce log: submissions into the sequencer, the hotline, agreements and actors
 * as the state shows them at a moment, the kinds' schemas, and the C2SP log resources
 * ({@code /log/checkpoint}, {@code /log/tile/…}) with an offline proof per entry.
 * Handlers bound and decode, call one method, and map the outcome; every failure is an RFC 9457
 * problem document. Thread-safe.
 */
public final class ApiServer implements AutoCloseable {
    /** The largest request body read, checked before parsing. */
    public static final int MAX_BODY = Submission.MAX_SIZE;
    private static final long ANSWER_TIMEOUT_SECONDS = 30;
    /** The detail of a storage fault's 503: what the client should do. */
    private static final String RETRY = "send the same request again after the Retry-After time; an entry already in the log "
            + "is answered with its receipt";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiServer.class);

    /** The session cookie set at login. */
    public static final String COOKIE = "truce_session";

    private final Store store;
    private final Sequencer sequencer;
    private final Kinds kinds;
    private final Sessions sessions;
    private final Clock clock;
    private final Javalin app;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer submitTimer;

    private final RateLimits limits;

    /** A server whose sessions are kept in this process's memory: for one process alone on its store. */
    public ApiServer(Store store, Sequencer sequencer, Kinds kinds, Clock clock) {
        this(store, sequencer, kinds, clock, RateLimits.Options.DEFAULT);
    }

    /** A server whose clients are held to {@code limits}, with sessions in this process's memory. */
    public ApiServer(Store store, Sequencer sequencer, Kinds kinds, Clock clock, RateLimits.Options limits) {
        this(store, sequencer, kinds, clock, limits, ConnectionLimits.Options.DEFAULT, Logins.inMemory());
    }

    /**
     * A server whose clients are held to {@code limits} and whose login challenges and sessions are kept
     * in {@code logins}: those of the shared database when several instances serve it.
     */
    public ApiServer(Store store, Sequencer sequencer, Kinds kinds, Clock clock, RateLimits.Options limits,
            Logins logins) {
        this(store, sequencer, kinds, clock, limits, ConnectionLimits.Options.DEFAULT, logins);
    }

    /** A server whose clients are held to {@code limits}, and their connections to {@code connections}. */
    public ApiServer(Store store, Sequencer sequencer, Kinds kinds, Clock clock, RateLimits.Options limits,
            ConnectionLimits.Options connections) {
        this(store, sequencer, kinds, clock, limits, connections, Logins.inMemory());
    }

    /** A server with every bound and the store of its sessions given. */
    public ApiServer(Store store, Sequencer sequencer, Kinds kinds, Clock clock, RateLimits.Options limits,
            ConnectionLimits.Options connections, Logins logins) {
        this.limits = new RateLimits(limits);
        this.store = store;
        this.sequencer = sequencer;
        this.kinds = kinds;
        this.clock = clock;
        this.sessions = new Sessions(store, logins, clock);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        this.submitTimer = Timer.builder("truce.submit").description("submissions answered, from receipt to durable")
                .publishPercentiles(0.5, 0.99).register(metrics);
        Map<Route, Handler> handlers = new HashMap<>();
        handlers.put(Route.SUBMIT, this::submit);
        handlers.put(Route.ENTRY, this::entry);
        handlers.put(Route.LOGIN_CHALLENGE, this::challenge);
        handlers.put(Route.LOGIN, this::login);
        handlers.put(Route.LOGOUT, this::logout);
        handlers.put(Route.INBOX, ctx -> mailbox(ctx, true));
        handlers.put(Route.OUTBOX, ctx -> mailbox(ctx, false));
        handlers.put(Route.MESSAGE, this::message);
        AgreementApi agreements = new AgreementApi(store, clock, this::reader);
        handlers.put(Route.AGREEMENTS, agreements::list);
        handlers.put(Route.AGREEMENT, agreements::status);
        handlers.put(Route.AGREEMENT_TIMELINE, agreements::timeline);
        handlers.put(Route.OBLIGATIONS, agreements::obligations);
        ActorApi actors = new ActorApi(store, clock, this::reader);
        handlers.put(Route.ACTORS, actors::list);
        handlers.put(Route.ACTOR, actors::actor);
        handlers.put(Route.SUBMIT_BATCH, new BatchApi(sequencer, this.limits)::submit);
        IncidentApi incidents = new IncidentApi(store, clock, this::reader);
        handlers.put(Route.INCIDENTS, incidents::list);
        handlers.put(Route.INCIDENT, incidents::incident);
        handlers.put(Route.INCIDENT_CAP, incidents::cap);
        NotificationApi notifications = new NotificationApi(store, clock, this::reader);
        handlers.put(Route.SITES, ctx -> notifications.list(ctx, "site"));
        handlers.put(Route.SITE, ctx -> notifications.one(ctx, "site"));
        handlers.put(Route.MOVEMENTS, ctx -> notifications.list(ctx, "movement"));
        handlers.put(Route.MOVEMENT, ctx -> notifications.one(ctx, "movement"));
        VolumeApi volumes = new VolumeApi(store, this::reader);
        handlers.put(Route.DECONFLICT, volumes::check);
        handlers.put(Route.VOLUME, volumes::volume);
        handlers.put(Route.CONFLICTS, volumes::conflicts);
        handlers.put(Route.AREAS, new AreaApi(store, clock, this::reader)::at);
        handlers.put(Route.EXPORT_CSV, incidents::csv);
        handlers.put(Route.EXPORT_GEOJSON, incidents::geojson);
        handlers.put(Route.DAILY_REPORT, incidents::daily);
        EvidenceApi evidence = new EvidenceApi(store, clock, this::reader);
        handlers.put(Route.EVIDENCE_UPLOAD, evidence::upload);
        handlers.put(Route.EVIDENCE, evidence::download);
        WebApi web = new WebApi(store, clock, this::reader);
        handlers.put(Route.MAP, web::map);
        handlers.put(Route.TIMELINE, web::timeline);
        handlers.put(Route.SCHEMA, this::schema);
        handlers.put(Route.KEY, this::key);
        handlers.put(Route.OPENAPI, ctx -> ctx.contentType("application/json").result(OpenApi.document()));
        handlers.put(Route.CHECKPOINT, this::checkpoint);
        handlers.put(Route.TILE, this::tile);
        handlers.put(Route.PROOF, this::proof);
        handlers.put(Route.HEALTH, ctx -> ctx.contentType("text/plain").result("ok\n"));
        handlers.put(Route.METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
        if (!handlers.keySet().equals(Set.copyOf(Route.ALL))) {
            throw new IllegalStateException("the route table and the handlers disagree");
        }
        org.truce.server.web.WebAssets webAssets = org.truce.server.web.WebAssets.load();
        this.app = Javalin.create(config -> {
            config.http.maxRequestSize = MAX_BODY;
            ConnectionLimits.apply(config.jetty, connections);
            config.routes.before(ctx -> this.limits.address(ctx.ip()));
            config.routes.before(ctx -> Params.percentEncoded(ctx.path()));
            config.routes.exception(RateLimits.Limited.class, (e, ctx) -> {
                metrics.counter("truce.requests.limited").increment();
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
                Problems.send(ctx, 429, "rate-limited", "too many requests", e.getMessage());
            });
            webAssets.register(config);
            config.requestLogger.http(this::logRequest);
            for (Route r : Route.ALL) {
                switch (r.method()) {
                    case GET -> config.routes.get(r.path(), handlers.get(r));
                    case POST -> config.routes.post(r.path(), handlers.get(r));
                }
            }
            config.routes.exception(EntryException.class, (e, ctx) -> {
                Rejection r = e.reason();
                metrics.counter("truce.entries.refused", "reason", r.slug()).increment();
                Problems.send(ctx, r.status(), r.slug(), r.title(), e.getMessage());
            });
            config.routes.exception(OverloadedException.class, (e, ctx) -> {
                ctx.header("Retry-After", "1");
                Problems.send(ctx, 503, "overloaded", "the log is busy", e.getMessage());
            });
            config.routes.exception(StoreException.class, (e, ctx) -> {
                // A storage fault the operator can clear is a 503 the client retries; anything else a 500.
                StoreException.Fault fault = e.fault().orElse(null);
                if (fault == null) {
                    LOG.atError().setCause(e).log("{} {} failed in the store", ctx.method().name(), ctx.path());
                    Problems.send(ctx, 500, "storage-error", "the log's storage failed", "the request was not carried out");
                    return;
                }
                LOG.atWarn().addKeyValue("fault", fault).log("{} {} refused: {}", ctx.method().name(), ctx.path(),
                        e.getMessage());
                ctx.header("Retry-After", fault == StoreException.Fault.UNAVAILABLE ? "5" : "30");
                switch (fault) {
                    // The store's message can name the database URL; it goes to the log, not to the client.
                    case FULL -> Problems.send(ctx, 503, "storage-full", "the log's storage is full", RETRY);
                    case READ_ONLY -> Problems.send(ctx, 503, "storage-read-only", "the log's storage is read-only", RETRY);
                    case UNAVAILABLE -> Problems.send(ctx, 503, "storage-unavailable", "the log's storage is unavailable",
                            RETRY);
                }
            });
            config.routes.exception(BadRequest.class, (e, ctx) ->
                    Problems.send(ctx, e.status, e.slug, e.title, e.getMessage()));
            // Jetty refusing the request while a handler reads its body: a body slower than the
            // connection limits allow (408), or one that is not valid HTTP (400).
            config.routes.exception(org.eclipse.jetty.http.BadMessageException.class, (e, ctx) -> {
                if (e.getCode() == 408) {
                    Problems.send(ctx, 408, "too-slow", "the request body arrived too slowly", "at least "
                            + connections.minBodyBytesPerSecond() + " bytes a second are needed; send the request again");
                } else {
                    Problems.send(ctx, 400, "bad-request", "the request is not valid HTTP", String.valueOf(e.getReason()));
                }
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null) {
                    Problems.send(ctx, 404, "not-found", "no such resource", ctx.path() + " does not exist");
                }
            });
            config.routes.error(413, "*", ctx -> Problems.send(ctx, 413, Rejection.TOO_LARGE.slug(),
                    Rejection.TOO_LARGE.title(), "the request body is larger than " + MAX_BODY + " bytes"));
        });
    }

    /**
     * One structured line per request: at DEBUG when it succeeded, INFO when the client erred, WARN
     * when the server did (an overload), so the default log shows what needs looking at.
     */
    private void logRequest(Context ctx, Float ms) {
        int status = ctx.statusCode();
        org.slf4j.event.Level level = status >= 500 ? org.slf4j.event.Level.WARN
                : status >= 400 ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG;
        if (!LOG.isEnabledForLevel(level)) {
            return;
        }
        LOG.atLevel(level).addKeyValue("method", ctx.method().name()).addKeyValue("path", ctx.path())
                .addKeyValue("status", status).addKeyValue("ms", ms)
                .log("{} {} {}", ctx.method().name(), ctx.path(), status);
    }

    /** Starts listening; port 0 picks a free one. */
    public ApiServer start(String host, int port) {
        app.start(host, port);
        LOG.atInfo().addKeyValue("host", host).addKeyValue("port", app.port()).log("listening on {}:{}", host, app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void submit(Context ctx) throws EntryException, InterruptedException {
        long start = System.nanoTime();
        try {
            submitTimed(ctx);
        } finally {
            submitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void submitTimed(Context ctx) throws EntryException, InterruptedException {
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BODY) {
            throw new EntryException(Rejection.TOO_LARGE, "the submission is larger than " + MAX_BODY + " bytes");
        }
        Submission s = Submission.parse(body);
        Receipt r;
        try {
            r = sequencer.submit(s, admitted -> this.limits.key(admitted.header().key())).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EntryException ee) {
                throw ee;
            }
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new OverloadedException("the entry could not be sequenced: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new OverloadedException("the entry was not sequenced within " + ANSWER_TIMEOUT_SECONDS + " s");
        }
        metrics.counter("truce.entries.sequenced", "duplicate", Boolean.toString(r.duplicate())).increment();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("index", r.index());
        out.put("leafHash", r.leafHash().base64());
        out.put("checkpoint", r.checkpoint());
        out.put("duplicate", r.duplicate());
        ctx.status(r.duplicate() ? 200 : 201).contentType("application/json").result(out.toString());
    }

    /** Who is asking: the party of a live session (bearer token or cookie), or the public. */
    private Reader reader(Context ctx) {
        String bearer = bearer(ctx);
        return sessions.reader(bearer != null ? bearer : ctx.cookie(COOKIE));
    }

    /** The bearer token of the request's Authorization header, if it has one. */
    private static @Nullable String bearer(Context ctx) {
        String auth = ctx.header("Authorization");
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : null;
    }

    /**
     * An entry and, if the reader may see it, its body. The stored leaf and body are canonical JSON
     * already, so the answer is put together from their bytes rather than parsed and written again:
     * this is the most frequent public read.
     */
    private void entry(Context ctx) {
        long index = index(ctx.pathParam("index"));
        Reader reader = reader(ctx);
        byte[] out = store.read(tx -> {
            // One query for the entry and its body; every entry is stored with its body.
            Map.Entry<StoredEntry, StoredBody> stored = tx.entriesWithBodies(index, 1).stream()
                    .filter(p -> p.getKey().index() == index).findFirst()
                    .orElseThrow(() -> new BadRequest(404, "not-found", "no such entry", "entry " + index + " is not in this log"));
            StoredEntry e = stored.getKey();
            StoredBody b = stored.getValue();
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream(e.leaf().length + b.canonicalBody().length + 256);
            ascii(o, "{\"index\":" + index + ",\"leafHash\":\"" + e.leafHash().base64() + "\",\"leaf\":");
            o.writeBytes(e.leaf());
            if (reader.mayRead(b.visibility(), b.author())) {
                ascii(o, ",\"body\":");
                o.writeBytes(b.canonicalBody());
                if (b.salt().length > 0) {
                    ascii(o, ",\"salt\":\"" + java.util.Base64.getEncoder().encodeToString(b.salt()) + "\"");
                }
            } else {
                ascii(o, ",\"bodyWithheld\":true");
            }
            ascii(o, "}");
            return o.toByteArray();
        });
        ctx.status(200).contentType("application/json").result(out);
    }

    private static void ascii(java.io.ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** A party key's public record: its vkey, status and the last seq sequenced under it. */
    private void key(Context ctx) {
        String ref = ctx.pathParam("ref");
        ObjectNode k = store.read(tx -> tx.get(Keys.COLLECTION, ref.length() > 64 ? "" : ref))
                .map(d -> d.body())
                .orElseThrow(() -> new BadRequest(404, "not-found", "no such key", "key " + truncate(ref) + " is not registered"));
        json(ctx, 200, k);
    }

    private void challenge(Context ctx) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("challenge", sessions.challenge());
        o.put("sign", "the bytes of \"truce-login\\n\" followed by the challenge, with an active party key");
        json(ctx, 200, o);
    }

    private void login(Context ctx) {
        JsonNode req = body(ctx, 4096);
        String key = req.path("key").asText("");
        String challenge = req.path("challenge").asText("");
        byte[] sig;
        try {
            sig = java.util.Base64.getDecoder().decode(req.path("sig").asText(""));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, "malformed-login", "not a login", "sig is not base64");
        }
        Sessions.Login in = sessions.login(key, challenge, sig).orElseThrow(() -> new BadRequest(
                401, "login-failed", "login failed", "the challenge, key or signature does not check"));
        ctx.header("Set-Cookie", COOKIE + "=" + in.token() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + Sessions.SESSION_TTL.toSeconds());
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("token", in.token());
        o.put("party", in.party());
        o.put("expiresIn", Sessions.SESSION_TTL.toSeconds());
        json(ctx, 200, o);
    }

    /** Ends the session the request carries, if any, and clears the cookie: signing out of a browser. */
    private void logout(Context ctx) {
        sessions.logout(bearer(ctx));
        sessions.logout(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        ctx.status(204);
    }

    private void mailbox(Context ctx, boolean inbox) {
        String party = ctx.pathParam("party");
        if (!PartyId.isValid(party)) {
            throw new BadRequest(400, "bad-party", "not a party id", "'" + truncate(party) + "' is not a party id");
        }
        Reader reader = reader(ctx);
        String after = ctx.queryParam("after");
        int limit = Params.limit(ctx.queryParam("limit"));
        List<ObjectNode> items = store.read(tx -> {
            Hotline h = new Hotline(tx, clock);
            return inbox ? h.inbox(reader, party, after, limit) : h.outbox(reader, party, after, limit);
        });
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode a = o.putArray("messages");
        items.forEach(a::add);
        if (items.size() == limit) {
            o.put("next", items.get(items.size() - 1).path("id").asText());
        }
        json(ctx, 200, o);
    }

    private void message(Context ctx) {
        String id = ctx.queryParam("id");
        if (id == null || id.length() > 64) {
            throw new BadRequest(400, "bad-id", "not a message id", "give the message's leaf hash as ?id=");
        }
        Reader reader = reader(ctx);
        ObjectNode m = store.read(tx -> new Hotline(tx, clock).message(reader, id));
        if (m == null) {
            throw new BadRequest(404, "not-found", "no such message", "no message " + truncate(id) + " you may read");
        }
        json(ctx, 200, m);
    }

    private static JsonNode body(Context ctx, int max) {
        byte[] b = ctx.bodyAsBytes();
        if (b.length > max) {
            throw new BadRequest(413, Rejection.TOO_LARGE.slug(), Rejection.TOO_LARGE.title(), "at most " + max + " bytes");
        }
        try {
            return Json.parse(b);
        } catch (InvalidJsonException e) {
            throw new BadRequest(400, "malformed-json", "not JSON", e.getMessage());
        }
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    private static long index(String s) {
        try {
            long i = Long.parseLong(s);
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new BadRequest(400, "bad-index", "not an entry index", "'" + truncate(s) + "' is not an entry index");
    }

    private void schema(Context ctx) {
        String kind = ctx.pathParam("kind");
        if (!kinds.contains(kind)) {
            throw new BadRequest(404, "unknown-kind", "no such kind", "'" + truncate(kind) + "' is not a kind this log records");
        }
        ctx.contentType("application/schema+json").result(kinds.schema(kind).toString());
    }

    private void checkpoint(Context ctx) {
        byte[] note = store.read(tx -> tx.read("checkpoint"))
                .orElseThrow(() -> new BadRequest(404, "not-found", "no checkpoint", "the log has no checkpoint yet"));
        ctx.header("Cache-Control", "no-cache").contentType("text/plain; charset=utf-8").result(note);
    }

    private void tile(Context ctx) {
        String path = "tile/" + ctx.pathParam("path");
        TilePath tile;
        try {
            tile = TilePath.parse(path);
        } catch (FormatException e) {
            throw new BadRequest(400, "bad-tile-path", "not a tile path", e.getMessage());
        }
        Optional<byte[]> data = store.read(tx -> tx.read(tile.path()));
        if (data.isEmpty()) {
            throw new BadRequest(404, "not-found", "no such tile", path + " is not in this log");
        }
        ctx.header("Cache-Control", tile.isFull() ? "public, max-age=31536000, immutable" : "public, max-age=60")
                .contentType("application/octet-stream").result(data.get());
    }

    private void proof(Context ctx) {
        long index = index(ctx.pathParam("index"));
        byte[] bundle = store.read(tx -> {
            try {
                byte[] note = tx.read("checkpoint").orElseThrow();
                return TlogProof.create(tx, SignedNote.parse(note), index).encode();
            } catch (FormatException e) {
                throw new BadRequest(404, "not-found", "no such entry", e.getMessage());
            }
        });
        ctx.header("Content-Disposition", "attachment; filename=\"entry-" + index + ".tlog-proof\"")
                .contentType("text/plain; charset=utf-8").result(bundle);
    }

    private static String truncate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    /** A client error found by a handler, answered as a problem document. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String slug;
        final String title;

        BadRequest(int status, String slug, String title, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.slug = slug;
            this.title = title;
        }
    }


}
