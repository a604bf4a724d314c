package org.truce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    @TempDir
    Path tmp;

    /** The newest migration file of an engine, by version number. */
    private static String newest(String engine) throws Exception {
        URL dir = SchemaTest.class.getResource("/db/migration/" + engine);
        assertThat(dir).as("the %s migrations on the class path", engine).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.map(f -> VERSIONED.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> m.group(1)).max(Comparator.comparingInt(Integer::parseInt)).orElseThrow();
        }
    }

    // A store opened on a database that records the latest migration skips Flyway, so a migration added
    // without raising the latest version would never run on existing databases.
    @Test
    void latest_isTheNewestMigrationFile_ofEachEngine() throws Exception {
        assertThat(Schema.LATEST_SQLITE).isEqualTo(newest("sqlite"));
        assertThat(Schema.LATEST_POSTGRESQL).isEqualTo(newest("postgresql"));
    }

    @Test
    void recorded_newDatabase_isNone_andAfterOpeningIsTheLatest() {
        String url = "jdbc:sqlite:" + tmp.resolve("truce.db");
        assertThat(Schema.recorded(url, null, null)).isNull();
        Store.sqlite(tmp).close();
        assertThat(Schema.recorded(url, null, null)).isEqualTo(Schema.LATEST_SQLITE);
        // Opened again, up to date: the store opens and reads.
        try (Store again = Store.sqlite(tmp)) {
            assertThat(again.<Long>read(tx -> tx.size())).isZero();
        }
    }
}
