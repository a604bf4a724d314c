package org.truce.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Submission;
import org.truce.core.json.Json;
import org.truce.core.kind.Kinds;
import org.truce.server.sequencer.OverloadedException;
import org.truce.server.sequencer.Receipt;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Store;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.proof.TlogProof;
import org.truce.tlog.tiles.TilePath;

/**
 * The HTTP face of a Truce log: submissions into the sequencer, the kinds' schemas, and the C2SP
 * log resources ({@code /log/checkpoint}, {@code /log/tile/…}) with an offline proof per entry.
 * Handlers bound and decode, call one method, and map the outcome; every failure is an RFC 9457
 * problem document. Thread-safe.
 */
public final class ApiServer implements AutoCloseable {
    /** The largest request body read, checked before parsing. */
    public static final int MAX_BODY = Submission.MAX_SIZE;
    private static final long ANSWER_TIMEOUT_SECONDS = 30;

    private final Store store;
    private final Sequencer sequencer;
    private final Kinds kinds;
    private final Javalin app;

    public ApiServer(Store store, Sequencer sequencer, Kinds kinds) {
        this.store = store;
        this.sequencer = sequencer;
        this.kinds = kinds;
        this.app = Javalin.create(config -> {
            config.http.maxRequestSize = MAX_BODY;
            config.routes.post("/api/v1/entries", this::submit);
            config.routes.get("/api/v1/schemas/{kind}", this::schema);
            config.routes.get("/log/checkpoint", this::checkpoint);
            config.routes.get("/log/tile/<path>", this::tile);
            config.routes.get("/log/proof/{index}", this::proof);
            config.routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok\n"));
            config.routes.exception(EntryException.class, (e, ctx) -> {
                Rejection r = e.reason();
                Problems.send(ctx, r.status(), r.slug(), r.title(), e.getMessage());
            });
            config.routes.exception(OverloadedException.class, (e, ctx) -> {
                ctx.header("Retry-After", "1");
                Problems.send(ctx, 503, "overloaded", "the log is busy", e.getMessage());
            });
            config.routes.exception(BadRequest.class, (e, ctx) ->
                    Problems.send(ctx, e.status, e.slug, e.title, e.getMessage()));
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null) {
                    Problems.send(ctx, 404, "not-found", "no such resource", ctx.path() + " does not exist");
                }
            });
            config.routes.error(413, "*", ctx -> Problems.send(ctx, 413, Rejection.TOO_LARGE.slug(),
                    Rejection.TOO_LARGE.title(), "the request body is larger than " + MAX_BODY + " bytes"));
        });
    }

    /** Starts listening; port 0 picks a free one. */
    public ApiServer start(String host, int port) {
        app.start(host, port);
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
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BODY) {
            throw new EntryException(Rejection.TOO_LARGE, "the submission is larger than " + MAX_BODY + " bytes");
        }
        Submission s = Submission.parse(body);
        Receipt r;
        try {
            r = sequencer.submit(s).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EntryException ee) {
                throw ee;
            }
            throw new OverloadedException("the entry could not be sequenced: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new OverloadedException("the entry was not sequenced within " + ANSWER_TIMEOUT_SECONDS + " s");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("index", r.index());
        out.put("leafHash", r.leafHash().base64());
        out.put("checkpoint", r.checkpoint());
        out.put("duplicate", r.duplicate());
        ctx.status(r.duplicate() ? 200 : 201).contentType("application/json").result(out.toString());
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
        long index;
        try {
            index = Long.parseLong(ctx.pathParam("index"));
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "bad-index", "not an entry index", "'" + truncate(ctx.pathParam("index"))
                    + "' is not a number");
        }
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
