package org.truce.server.http;

import io.javalin.config.JettyConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * How slowly one client may talk and how many may be connected at once, so that clients which open
 * connections and then send nothing, or a byte at a time, cannot take the server's connections or
 * threads. Set on Jetty through {@link #apply}:
 *
 * <ul>
 *   <li>a connection silent for {@code idleTimeout} is closed (Jetty's idle timeout);
 *   <li>a request line and headers larger than {@code maxHeaderBytes} are answered 431;
 *   <li>a request line and headers not complete {@code headerTimeout} after their first byte close
 *       the connection. Jetty reads headers without holding a thread, but its idle timeout starts
 *       again with every byte, so a client sending one a second would otherwise keep its connection
 *       for hours. The connections are looked at every {@code headerTimeout / 4}, so one is closed
 *       between {@code headerTimeout} and 1.25 times it;
 *   <li>a body that arrives slower on average than {@code minBodyBytesPerSecond} since its first byte
 *       is refused with 408 (Jetty's minimum request data rate), which frees the thread reading it;
 *   <li>at most {@code maxConnections} connections are open: at that count the server stops accepting
 *       (new ones wait in the kernel's backlog) and the idle timeout of those open drops to
 *       {@code idleTimeoutWhenFull}, so idle ones make room first (Jetty's
 *       {@link NetworkConnectionLimit}).
 * </ul>
 */
public final class ConnectionLimits {
    private ConnectionLimits() {}

    /** The limits; see the class comment. */
    public record Options(Duration idleTimeout, int maxHeaderBytes, Duration headerTimeout, long minBodyBytesPerSecond,
            int maxConnections, Duration idleTimeoutWhenFull) {
        /**
         * Loose enough for a party on a satellite or GSM data link (8 kbit/s sends a 64 KiB submission in
         * about a minute), tight enough that holding a connection costs a client a steady trickle.
         */
        public static final Options DEFAULT = new Options(Duration.ofSeconds(30), 8 * 1024, Duration.ofSeconds(10), 1024,
                1024, Duration.ofSeconds(5));

        public Options {
            if (idleTimeout.isNegative() || idleTimeout.isZero() || headerTimeout.isNegative() || headerTimeout.isZero()
                    || idleTimeoutWhenFull.isNegative() || idleTimeoutWhenFull.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxHeaderBytes < 1024 || minBodyBytesPerSecond < 1 || maxConnections < 1) {
                throw new IllegalArgumentException("headers of at least 1 KiB, a positive rate and connection count");
            }
        }
    }

    /** Sets the limits on the Jetty server Javalin will start. */
    static void apply(JettyConfig jetty, Options o) {
        jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(o.maxHeaderBytes());
            http.setMinRequestDataRate(o.minBodyBytesPerSecond());
        });
        jetty.modifyServer(server -> {
            NetworkConnectionLimit limit = new NetworkConnectionLimit(o.maxConnections(), server);
            limit.setEndPointIdleTimeout(o.idleTimeoutWhenFull().toMillis());
            server.addBean(limit);
            server.addBean(new HeaderDeadline(server, o));
        });
    }

    /**
     * Sets the connectors' idle timeout when the server starts, and closes every connection whose
     * current request's headers began arriving more than {@code headerTimeout} ago. Runs on the
     * server's scheduler; its state is touched by that one task at a time.
     */
    private static final class HeaderDeadline extends AbstractLifeCycle {
        private final Server server;
        private final Options options;
        /** Connections receiving headers: the count of requests they had begun and when this one was first seen. */
        private Map<HttpConnection, long[]> receiving = new HashMap<>();
        private volatile Scheduler.Task next;

        HeaderDeadline(Server server, Options options) {
            this.server = server;
            this.options = options;
        }

        @Override
        protected void doStart() {
            for (Connector c : server.getConnectors()) {
                if (c instanceof AbstractConnector ac) {
                    ac.setIdleTimeout(options.idleTimeout().toMillis());
                }
            }
            schedule();
        }

        @Override
        protected void doStop() {
            Scheduler.Task t = next;
            if (t != null) {
                t.cancel();
            }
        }

        private void schedule() {
            next = server.getScheduler().schedule(this::sweep, Math.max(10, options.headerTimeout().toMillis() / 4),
                    TimeUnit.MILLISECONDS);
        }

        private void sweep() {
            long now = System.nanoTime();
            Map<HttpConnection, long[]> still = new HashMap<>();
            for (Connector c : server.getConnectors()) {
                for (EndPoint e : c.getConnectedEndPoints()) {
                    if (!(e.getConnection() instanceof HttpConnection h)) {
                        continue;
                    }
                    HttpParser p = h.getParser();
                    if (p.isStart() || !p.inHeaderState()) {
                        continue;
                    }
                    long[] seen = receiving.get(h);
                    if (seen == null || seen[0] != h.getMessagesIn()) {
                        seen = new long[] {h.getMessagesIn(), now};
                    }
                    if (now - seen[1] >= options.headerTimeout().toNanos()) {
                        e.close();
                    } else {
                        still.put(h, seen);
                    }
                }
            }
            receiving = still;
            if (isRunning()) {
                schedule();
            }
        }
    }
}
