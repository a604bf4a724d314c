package org.truce.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.truce.tlog.merkle.Hash;

/**
 * {@link Shared} on PostgreSQL: the role is a session-scoped advisory lock held on a connection kept
 * for nothing else, so that the role ends when that session does (the process died, the network
 * broke, an operator terminated it), the queue is the {@code submissions} table, with LISTEN/NOTIFY
 * as its wake-up, and the logins are {@link PostgresLogins} on the queue's pool. Thread-safe.
 */
final class PostgresShared implements Shared {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresShared.class);
    /** The advisory lock key of the sequencer role; apart from the writer's transaction lock. */
    static final long ROLE_LOCK = PostgresStore.WRITER_LOCK + 1;
    private static final String QUEUED = "truce_queued";
    private static final String SETTLED = "truce_settled";

    private final String url;
    private final Properties credentials;
    private final HikariDataSource pool;
    private final PostgresLogins logins;
    private final Object roleLock = new Object();
    private @Nullable Connection role;
    private volatile int rolePid = -1;
    private final Map<Signal, boolean[]> signals = new EnumMap<>(Signal.class);
    private final Thread listener;
    private volatile boolean closed;

    PostgresShared(String url, @Nullable String user, @Nullable String password) {
        this.url = url;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("truce-queue");
        config.setJdbcUrl(url);
        config.setDataSourceProperties(credentials);
        config.setAutoCommit(true);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + url + ": " + e.getMessage(), e);
        }
        logins = new PostgresLogins(pool);
        for (Signal s : Signal.values()) {
            signals.put(s, new boolean[1]);
        }
        listener = new Thread(this::listen, "truce-queue-listener");
        listener.setDaemon(true);
        listener.start();
    }

    // ---- the role ----

    @Override
    public boolean tryLead() {
        synchronized (roleLock) {
            if (closed) {
                return false;
            }
            try {
                if (role != null && role.isValid(2)) {
                    return rolePid > 0;
                }
                dropRole();
                Connection c = DriverManager.getConnection(url, credentials);
                try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT pg_try_advisory_lock(" + ROLE_LOCK + "), pg_backend_pid()")) {
                    r.next();
                    if (!r.getBoolean(1)) {
                        c.close();
                        return false;
                    }
                    role = c;
                    rolePid = r.getInt(2);
                    return true;
                }
            } catch (SQLException e) {
                LOG.atDebug().setCause(e).log("cannot try for the sequencer role: {}", e.getMessage());
                dropRole();
                return false;
            }
        }
    }

    @Override
    public boolean leads() {
        return rolePid > 0;
    }

    @Override
    public void resign() {
        synchronized (roleLock) {
            dropRole();
        }
    }

    private void dropRole() {
        rolePid = -1;
        if (role != null) {
            try {
                role.close();
            } catch (SQLException e) {
                // The session is gone either way, and the lock with it.
            }
            role = null;
        }
    }

    @Override
    public void fence(WriteTx tx) {
        int pid = rolePid;
        boolean held = pid > 0 && on(tx, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1 AND pid = ? AND granted")) {
                s.setLong(1, ROLE_LOCK >>> 32);
                s.setLong(2, ROLE_LOCK & 0xFFFF_FFFFL);
                s.setInt(3, pid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
        if (!held) {
            synchronized (roleLock) {
                if (rolePid == pid) {
                    dropRole();
                }
            }
            throw new StoreException("this instance no longer holds the sequencer role");
        }
    }

    // ---- the queue inside the role holder's write transaction ----

    @Override
    public List<Queued> queued(WriteTx tx, int limit) {
        return on(tx, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT skey, grp, dry_run, payload FROM submissions"
                    + " WHERE outcome IS NULL ORDER BY ord LIMIT ?")) {
                s.setInt(1, limit);
                List<Queued> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Queued(Hash.of(r.getBytes(1)), r.getBoolean(2), r.getBoolean(3), r.getBytes(4)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void settle(WriteTx tx, Map<Hash, byte[]> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        on(tx, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE submissions SET outcome = ?, settled = now() WHERE skey = ? AND outcome IS NULL")) {
                for (Map.Entry<Hash, byte[]> e : outcomes.entrySet()) {
                    s.setBytes(1, e.getValue());
                    s.setBytes(2, e.getKey().bytes());
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                // Delivered when the transaction commits, and not at all if it rolls back.
                s.execute("NOTIFY " + SETTLED);
            }
            return null;
        });
    }

    private static <T> T on(WriteTx tx, Lease.Work<T> work) {
        if (!(tx instanceof SqlTx t)) {
            throw new IllegalArgumentException("not a transaction of a PostgreSQL store");
        }
        try {
            return t.onConnection(work);
        } catch (SQLException e) {
            throw new StoreException("the submissions queue failed: " + e.getMessage(), e);
        }
    }

    // ---- the queue for any instance ----

    @Override
    public void enqueue(Queued q) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO submissions (skey, grp, dry_run, payload)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (skey) DO UPDATE SET outcome = NULL, settled = NULL,"
                        + " ord = nextval('submissions_order'), grp = excluded.grp, dry_run = excluded.dry_run,"
                        + " payload = excluded.payload WHERE submissions.outcome IS NOT NULL");
                Statement n = c.createStatement()) {
            s.setBytes(1, q.key().bytes());
            s.setBoolean(2, q.group());
            s.setBoolean(3, q.dryRun());
            s.setBytes(4, q.payload());
            s.executeUpdate();
            n.execute("NOTIFY " + QUEUED);
        } catch (SQLException e) {
            throw new StoreException("cannot queue a submission: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<Hash, byte[]> outcomes(Collection<Hash> keys) {
        Map<Hash, byte[]> out = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        HexFormat hex = HexFormat.of();
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT skey, outcome FROM submissions WHERE outcome IS NOT NULL"
                        + " AND skey IN (SELECT decode(k, 'hex') FROM unnest(?::text[]) k)")) {
            s.setArray(1, c.createArrayOf("text", keys.stream().map(k -> hex.formatHex(k.bytes())).toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(Hash.of(r.getBytes(1)), r.getBytes(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the outcomes of submissions: " + e.getMessage(), e);
        }
    }

    @Override
    public int purge(Duration age) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM submissions WHERE outcome IS NOT NULL"
                        + " AND settled < now() - make_interval(secs => ?)")) {
            s.setDouble(1, age.toMillis() / 1000.0);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot purge settled submissions: " + e.getMessage(), e);
        }
    }

    // ---- logins ----

    @Override
    public Logins logins() {
        return logins;
    }

    // ---- notifications ----

    @Override
    public void await(Signal signal, Duration max) throws InterruptedException {
        boolean[] flag = signals.get(signal);
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (flag) {
            while (!flag[0]) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(flag, left);
            }
            flag[0] = false;
        }
    }

    private void raise(Signal s) {
        boolean[] flag = signals.get(s);
        synchronized (flag) {
            flag[0] = true;
            flag.notifyAll();
        }
    }

    /** Listens on its own connection, opening another after a failure; the waiters poll meanwhile. */
    private void listen() {
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, credentials)) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + QUEUED);
                    s.execute("LISTEN " + SETTLED);
                }
                // Anything sent while no connection listened is found by the callers' polls; wake them now.
                for (Signal s : Signal.values()) {
                    raise(s);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(250);
                    if (got == null) {
                        continue;
                    }
                    for (PGNotification n : got) {
                        raise(n.getName().equals(QUEUED) ? Signal.QUEUED : Signal.SETTLED);
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                LOG.atDebug().setCause(e).log("listening for the queue failed: {}", e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        resign();
        listener.interrupt();
        try {
            listener.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
        for (Signal s : Signal.values()) {
            raise(s);
        }
    }
}
