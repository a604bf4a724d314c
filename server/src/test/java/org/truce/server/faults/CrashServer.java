package org.truce.server.faults;

import java.nio.file.Path;
import java.time.Clock;
import org.truce.server.http.ApiServer;
import org.truce.server.node.Node;

/**
 * A Truce server for the fault tests to run as a separate process and kill: opens the log in a data
 * directory (on {@code --db URL} when given, else the embedded SQLite there), serves it on a free port
 * of 127.0.0.1 and prints {@code truce-test-server-port N} once it answers. It runs until it is killed.
 *
 * <p>Usage: {@code CrashServer DATA-DIR [--db JDBC-URL]}
 */
public final class CrashServer {
    /** What the server prints before its port once it listens. */
    static final String READY = "truce-test-server-port ";

    private CrashServer() {}

    public static void main(String[] args) throws InterruptedException {
        Path data = Path.of(args[0]);
        String db = args.length >= 3 && args[1].equals("--db") ? args[2] : null;
        Node node = Node.open(data, Clock.systemUTC(), db);
        ApiServer api = node.serve("127.0.0.1", 0);
        System.out.println(READY + api.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
