package org.truce.cli.incident;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.access.ApiReader;
import org.truce.cli.access.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code truce export}: records in the formats the field already uses. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export records from a server in the formats the field uses. Only what you may read is exported.",
        subcommands = ExportCommand.Incidents.class)
public final class ExportCommand {
    private ExportCommand() {}

    /** {@code truce export incidents}. */
    @Command(name = "incidents", mixinStandardHelpOptions = true,
            description = {"Export the incidents a filter selects: as ACLED-format CSV (ACLED's columns in ACLED's order, "
                    + "then Truce's, under a row of HXL hashtags), which `truce import acled` reads back to the same "
                    + "incidents."})
    static final class Incidents implements Callable<Integer> {
        @Mixin
        ReadOptions read;

        @Mixin
        FilterOptions filter;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv (default).")
        String format;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        @Nullable Path out;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> paths = Map.of("csv", "/api/v1/exports/incidents.csv");
            String path = paths.get(format);
            if (path == null) {
                throw new CliException(ExitCodes.USAGE, "--format: '" + format + "' is not one of " + String.join(", ",
                        new java.util.TreeSet<>(paths.keySet())));
            }
            ApiReader api = ApiReader.open(read);
            Path tmp = null;
            try {
                if (out != null) {
                    tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".truce-export", ".part");
                }
                try (OutputStream o = tmp == null ? new java.io.FilterOutputStream(System.out) {
                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                } : Files.newOutputStream(tmp)) {
                    api.download(path, filter.query(), o);
                }
                if (tmp != null) {
                    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    tmp = null;
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.STORAGE, "cannot write " + out + ": " + e.getMessage());
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException e) {
                        // The export failed already; that is what is reported.
                    }
                }
            }
            return ExitCodes.OK;
        }
    }
}
