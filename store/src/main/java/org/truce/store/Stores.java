package org.truce.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Picks the storage engine for a JDBC URL. */
final class Stores {
    private Stores() {}

    static Store open(String jdbcUrl, @Nullable String user, @Nullable String password) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SqliteStore.open(jdbcUrl);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return PostgresStore.open(jdbcUrl, user, password);
        }
        throw new StoreException("unsupported database URL " + jdbcUrl + "; expected jdbc:sqlite:… or jdbc:postgresql:…");
    }

    static Store sqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return SqliteStore.open("jdbc:sqlite:" + dataDir.resolve("truce.db").toAbsolutePath());
    }
}
