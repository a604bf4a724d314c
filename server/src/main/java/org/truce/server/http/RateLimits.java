package org.truce.server.http;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How fast one client may ask, as token buckets (Bucket4j): every request counts against its remote
 * address; every submission whose signature verified counts against its key, and every batch against
 * each key that signed in it. A client over its bucket is answered 429 with the seconds to wait in
 * {@code Retry-After}, and nothing of its request is done. Buckets are kept for the most recent
 * {@value #MAX_TRACKED} addresses and keys. Thread-safe.
 */
public final class RateLimits {
    static final int MAX_TRACKED = 100_000;

    /**
     * The limits: a bucket's capacity (the burst) and how many tokens come back each second, per
     * address and per key; batches per key per hour.
     */
    public record Options(long addressPerSecond, long addressBurst, long keyPerSecond, long keyBurst, long batchesPerKeyPerHour) {
        /**
         * Generous for a joint centre whose parties may share one address, tight enough that one
         * client cannot take the sequencer for itself.
         */
        public static final Options DEFAULT = new Options(500, 2_000, 100, 1_000, 120);

        /** No practical limit: for benchmarks that measure the log, not the limits. */
        public static final Options NONE = new Options(1_000_000_000L, 1_000_000_000L, 1_000_000_000L, 1_000_000_000L,
                1_000_000_000L);
    }

    /** A client over one of its limits. */
    static final class Limited extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long retryAfterSeconds;

        Limited(String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private final Options options;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    public RateLimits(Options options) {
        this.options = options;
    }

    /** Counts a request from {@code address}. */
    void address(String address) {
        take("address:" + address, options.addressBurst(), options.addressPerSecond(), Duration.ofSeconds(1),
                "requests from " + address);
    }

    /** Counts a verified submission signed with {@code key}. */
    void key(String key) {
        take("key:" + key, options.keyBurst(), options.keyPerSecond(), Duration.ofSeconds(1), "submissions signed with key " + key);
    }

    /** Counts a batch holding entries signed with {@code key}. */
    void batch(String key) {
        take("batch:" + key, options.batchesPerKeyPerHour(), options.batchesPerKeyPerHour(), Duration.ofHours(1),
                "batches signed with key " + key);
    }

    private void take(String id, long capacity, long tokens, Duration period, String what) {
        Bucket b;
        synchronized (buckets) {
            b = buckets.computeIfAbsent(id, k -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(capacity).refillGreedy(tokens, period)).build());
        }
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        if (!p.isConsumed()) {
            long wait = Math.max(1, (p.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new Limited("too many " + what + ": at most " + tokens + " per " + human(period) + " after a burst of "
                    + capacity + "; try again in " + wait + " s", wait);
        }
    }

    private static String human(Duration d) {
        return d.equals(Duration.ofSeconds(1)) ? "second" : d.equals(Duration.ofHours(1)) ? "hour" : d.toString();
    }
}
