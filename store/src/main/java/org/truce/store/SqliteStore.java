package org.truce.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * The embedded engine: one SQLite database file in WAL mode with {@code synchronous=FULL}, so a
 * committed write survives a crash or power loss. One connection writes, one transaction at a time;
 * a few others read concurrently, each transaction on a consistent snapshot. Thread-safe.
 */
final class SqliteStore extends ConnectionStore {
    /**
     * Reader connections to the file. More than a network database's pool: a connection to a local file
     * costs only its page cache (2 MiB at most), and with 64 clients reading entries four connections
     * kept most request threads parked waiting for one (`./bench/targets`: p99 94 → 41 ms).
     */
    static final int SQLITE_READERS = 16;

    private SqliteStore(Connections connections) {
        super(connections);
    }

    static SqliteStore open(String url) {
        Schema.migrate(url, null, null, "classpath:db/migration/sqlite", Schema.LATEST_SQLITE);
        try {
            return new SqliteStore(new FixedConnections(url));
        } catch (SQLException e) {
            throw new StoreException("cannot open " + url + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(String url, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        config.setReadOnly(readOnly);
        // The store never reads generated keys; without this each insert runs a second query for them.
        config.setGetGeneratedKeys(false);
        Connection c = DriverManager.getConnection(url, config.toProperties());
        c.setAutoCommit(false);
        return c;
    }

    @Override
    void beginWrite(Connection c) {
        // One process owns an SQLite file; the writer connection's lock is enough.
    }

    @Override
    public String engine() {
        return "sqlite";
    }

    /**
     * The connections to one file, opened once and kept: a connection to a local file does not break
     * the way a network connection does, so there is nothing for a pool to replace, except the writer
     * when a failed rollback left it outside any transaction. Thread-safe.
     */
    private static final class FixedConnections implements Connections {
        private final String url;
        /** Null after it broke until the next write opens another; used under the store's write lock only. */
        private volatile @Nullable Connection writer;
        private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(SQLITE_READERS);
        private final List<Connection> all = new ArrayList<>();
        /**
         * Each connection's prepared statements by their SQL. Preparing costs as much as running most
         * of the store's statements, and the set of statements is small and fixed. A connection is
         * used by one transaction at a time, so its map is too.
         */
        private final java.util.Map<Connection, java.util.Map<String, PreparedStatement>> statements =
                new java.util.concurrent.ConcurrentHashMap<>();

        FixedConnections(String url) throws SQLException {
            this.url = url;
            try {
                writer = connect(url, false);
                all.add(writer);
                for (int i = 0; i < SQLITE_READERS; i++) {
                    Connection c = connect(url, true);
                    all.add(c);
                    readers.add(c);
                }
            } catch (SQLException e) {
                close();
                throw e;
            }
        }

        @Override
        public Connection borrow(boolean reader) throws SQLException {
            if (!reader) {
                Connection w = writer;
                if (w == null) {
                    w = connect(url, false);
                    synchronized (all) {
                        all.add(w);
                    }
                    writer = w;
                }
                return w;
            }
            try {
                return readers.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted waiting for a database connection", e);
            }
        }

        @Override
        public PreparedStatement prepare(Connection c, String sql) throws SQLException {
            java.util.Map<String, PreparedStatement> mine = statements.computeIfAbsent(c, k -> new java.util.HashMap<>());
            PreparedStatement s = mine.get(sql);
            // sqlite-jdbc closes a statement whose step failed (SQLITE_FULL, say): prepare it again.
            if (s == null || s.isClosed()) {
                s = c.prepareStatement(sql);
                mine.put(sql, s);
            }
            return s;
        }

        @Override
        public boolean cachesStatements() {
            return true;
        }

        @Override
        public void giveBack(Connection c, boolean reader, boolean broken) {
            if (reader) {
                readers.add(c);
            } else if (broken) {
                replaceWriter(c);
            }
        }

        /** Closes a writer that broke; the next write opens another. */
        private void replaceWriter(Connection broken) {
            writer = null;
            synchronized (all) {
                all.remove(broken);
            }
            statements.remove(broken);
            try {
                broken.close();
            } catch (SQLException e) {
                // It is being thrown away; nothing of it is needed.
            }
        }

        @Override
        public void close() {
            List<Connection> open;
            synchronized (all) {
                open = List.copyOf(all);
            }
            for (Connection c : open) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // Closing is best effort; committed work is already durable.
                }
            }
        }
    }
}
