package org.truce.cli.node;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.truce.store.Store;
import picocli.CommandLine.Option;

/** Where a log lives: the data directory with the operator's keys, and optionally a PostgreSQL database. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "truce-data",
            description = "The data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--db", paramLabel = "JDBC-URL",
            description = "A PostgreSQL database (jdbc:postgresql://host/db?user=…&password=…) instead of the "
                    + "embedded SQLite database in the data directory, which keeps the operator's keys either way.")
    @Nullable String db;

    /** The log's store: the PostgreSQL database if one is given, else the embedded one in the data directory. */
    Store openStore() {
        return db == null ? Store.sqlite(data) : Store.open(db);
    }
}
