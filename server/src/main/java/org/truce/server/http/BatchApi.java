package org.truce.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Submission;
import org.truce.server.http.ApiServer.BadRequest;
import org.truce.server.sequencer.OverloadedException;
import org.truce.server.sequencer.Receipt;
import org.truce.server.sequencer.Sequencer;

/**
 * {@code POST /api/v1/entries/batch}: many signed entries, one per line (NDJSON), sequenced together
 * in one transaction so that an import is in the log whole or not at all. Each line is checked as a
 * single submission is; a line that fails is refused alone and named by its line number, and the
 * others go on. With {@code ?dryRun=true} every check runs and nothing is written. Thread-safe.
 */
final class BatchApi {
    /** The most bytes one batch may hold. */
    static final long MAX_BYTES = 512L * 1024 * 1024;
    /** The most refusals listed one by one in the answer; the count covers them all. */
    static final int MAX_LISTED = 1_000;
    private static final long ANSWER_TIMEOUT_MINUTES = 15;

    private final Sequencer sequencer;
    private final RateLimits limits;

    BatchApi(Sequencer sequencer, RateLimits limits) {
        this.sequencer = sequencer;
        this.limits = limits;
    }

    private record Line(long number, Submission submission) {}

    private record Refusal(long line, Rejection reason, String detail) {}

    void submit(Context ctx) throws InterruptedException {
        Boolean dry = Params.bool(ctx, "dryRun");
        boolean dryRun = dry != null && dry;
        List<Line> lines = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        read(ctx, lines, refused);
        int unparsed = refused.size();
        List<Submission> subs = lines.stream().map(Line::submission).toList();
        List<@Nullable EntryException> admitted = sequencer.admit(subs);
        List<Line> ok = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            EntryException e = admitted.get(i);
            if (e == null) {
                ok.add(lines.get(i));
            } else {
                refused.add(new Refusal(lines.get(i).number(), e.reason(), e.getMessage()));
            }
        }
        // Each key that signed a verified entry in the batch counts one batch.
        new java.util.TreeSet<>(ok.stream().map(l -> l.submission().header().key()).toList()).forEach(limits::batch);
        List<CompletableFuture<Receipt>> answers = new ArrayList<>();
        String checkpoint = "";
        if (!ok.isEmpty()) {
            try {
                sequencer.submitGroup(ok.stream().map(Line::submission).toList(), dryRun, answers)
                        .get(ANSWER_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.truce.store.StoreException se && se.fault().isPresent()) {
                    // A full, read-only or unreachable database: answered as such, like a single submission.
                    throw se;
                }
                throw new OverloadedException("the batch was not sequenced: " + e.getMessage());
            } catch (TimeoutException e) {
                throw new OverloadedException("the batch was not sequenced: " + e.getMessage());
            }
        }
        long accepted = 0;
        long duplicates = 0;
        long first = -1;
        long last = -1;
        for (int i = 0; i < ok.size(); i++) {
            try {
                Receipt r = answers.get(i).join();
                if (r.duplicate()) {
                    duplicates++;
                } else {
                    accepted++;
                    first = first < 0 ? r.index() : Math.min(first, r.index());
                    last = Math.max(last, r.index());
                    checkpoint = r.checkpoint();
                }
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof EntryException ee) {
                    refused.add(new Refusal(ok.get(i).number(), ee.reason(), ee.getMessage()));
                } else {
                    throw new OverloadedException("the batch was not sequenced and nothing of it was written: "
                            + e.getCause().getMessage());
                }
            }
        }
        refused.sort(java.util.Comparator.comparingLong(Refusal::line));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("dryRun", dryRun);
        o.put("lines", lines.size() + unparsed);
        o.put("accepted", accepted);
        o.put("duplicates", duplicates);
        if (accepted > 0) {
            o.put("firstIndex", first);
            o.put("lastIndex", last);
        }
        if (!checkpoint.isEmpty()) {
            o.put("checkpoint", checkpoint);
        }
        o.put("refusedCount", refused.size());
        ArrayNode r = o.putArray("refused");
        for (Refusal x : refused.subList(0, Math.min(MAX_LISTED, refused.size()))) {
            r.addObject().put("line", x.line).put("type", x.reason.slug()).put("status", x.reason.status()).put("detail", x.detail);
        }
        ApiServer.json(ctx, accepted > 0 && !dryRun ? 201 : 200, o);
    }

    /** Reads the NDJSON body: each non-blank line parsed as a submission or refused with its number. */
    private static void read(Context ctx, List<Line> lines, List<Refusal> refused) {
        try (InputStream in = new BufferedInputStream(ctx.bodyInputStream(), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long number = 1;
            long total = 0;
            boolean oversized = false;
            int b;
            while (true) {
                b = in.read();
                if (b >= 0 && ++total > MAX_BYTES) {
                    throw new BadRequest(413, Rejection.TOO_LARGE.slug(), "the batch is too large",
                            "a batch is at most " + MAX_BYTES + " bytes; split it");
                }
                if (b == '\n' || b < 0) {
                    byte[] bytes = line.toByteArray();
                    if (oversized) {
                        refused.add(new Refusal(number, Rejection.TOO_LARGE, "the entry is larger than "
                                + Submission.MAX_SIZE + " bytes"));
                    } else if (!new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                        if (lines.size() + refused.size() >= Sequencer.MAX_GROUP) {
                            throw new BadRequest(413, Rejection.TOO_LARGE.slug(), "the batch is too large",
                                    "a batch holds at most " + Sequencer.MAX_GROUP + " entries; split it");
                        }
                        try {
                            lines.add(new Line(number, Submission.parse(bytes)));
                        } catch (EntryException e) {
                            refused.add(new Refusal(number, e.reason(), e.getMessage()));
                        }
                    }
                    if (b < 0) {
                        return;
                    }
                    line.reset();
                    oversized = false;
                    number++;
                } else if (!oversized) {
                    line.write(b);
                    if (line.size() > Submission.MAX_SIZE) {
                        oversized = true;
                        line.reset();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
