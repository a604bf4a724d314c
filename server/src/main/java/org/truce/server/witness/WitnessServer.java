package org.truce.server.witness;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import org.truce.tlog.TlogException;
import org.truce.tlog.witness.AddCheckpoint;
import org.truce.tlog.witness.Witness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Witness} over HTTP, C2SP tlog-witness with the same prefix for submission and
 * monitoring:
 *
 * <ul>
 *   <li>{@code POST /add-checkpoint}: 200 with the cosignature lines, 400, 403, 404, 409 with the
 *       {@code text/x.tlog.size} body, 422; a body over {@link AddCheckpoint#MAX_SIZE} gets 413;
 *   <li>{@code GET /<hex SHA-256 of origin>/checkpoint}: the latest cosigned checkpoint, or 404.
 * </ul>
 *
 * <p>The handler only bounds the body and maps the witness's outcome to a status: every check is in
 * {@link Witness}. Requests idle for longer than {@link #IDLE_TIMEOUT_MS} are dropped. Thread-safe.
 */
public final class WitnessServer implements AutoCloseable {
    /** How long a connection may stay silent, mid-request or between requests. */
    public static final long IDLE_TIMEOUT_MS = 30_000;
    /** The media type of a 409's body. */
    public static final String SIZE_TYPE = "text/x.tlog.size";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(WitnessServer.class);

    private final Witness witness;
    private final Javalin app;

    public WitnessServer(Witness witness) {
        this.witness = witness;
        this.app = Javalin.create(config -> {
            config.http.maxRequestSize = AddCheckpoint.MAX_SIZE;
            config.jetty.modifyHttpConfiguration(h -> h.setIdleTimeout(IDLE_TIMEOUT_MS));
            config.jetty.modifyServer(s -> {
                for (var c : s.getConnectors()) {
                    if (c instanceof org.eclipse.jetty.server.AbstractConnector a) {
                        a.setIdleTimeout(IDLE_TIMEOUT_MS);
                    }
                }
            });
            config.routes.post("/add-checkpoint", this::addCheckpoint);
            config.routes.get("/{originHash}/checkpoint", this::checkpoint);
            config.routes.exception(TlogException.class, (e, ctx) -> {
                LOG.atError().setCause(e).log("witness state failure");
                text(ctx, 500, "the witness cannot record its state\n");
            });
            config.routes.error(413, "*", ctx -> text(ctx, 413,
                    "the request body is larger than " + AddCheckpoint.MAX_SIZE + " bytes\n"));
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null) {
                    text(ctx, 404, "not found\n");
                }
            });
        });
    }

    /** Starts listening; port 0 picks a free one. */
    public WitnessServer start(String host, int port) {
        app.start(host, port);
        LOG.atInfo().addKeyValue("port", app.port()).log("witness {} listening on {}:{}",
                witness.verifier().name(), host, app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void addCheckpoint(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length > AddCheckpoint.MAX_SIZE) {
            text(ctx, 413, "the request body is larger than " + AddCheckpoint.MAX_SIZE + " bytes\n");
            return;
        }
        Witness.Outcome o = witness.addCheckpoint(body);
        if (o instanceof Witness.Outcome.Cosigned c) {
            text(ctx, 200, c.body());
        } else if (o instanceof Witness.Outcome.Conflict c) {
            ctx.status(409).contentType(SIZE_TYPE).result(c.body().getBytes(StandardCharsets.US_ASCII));
        } else if (o instanceof Witness.Outcome.Refused r) {
            LOG.atInfo().addKeyValue("status", r.status()).log("refused a checkpoint: {}", r.message());
            text(ctx, r.status(), r.message() + "\n");
        }
    }

    private void checkpoint(Context ctx) {
        String hash = ctx.pathParam("originHash");
        witness.latest(hash).ifPresentOrElse(
                n -> text(ctx, 200, n.toString()),
                () -> text(ctx, 404, "no checkpoint cosigned for this log\n"));
    }

    private static void text(Context ctx, int status, String body) {
        ctx.status(status).contentType(TEXT).result(body.getBytes(StandardCharsets.UTF_8));
    }
}
