package org.truce.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Progress;
import org.truce.cli.node.SubmitCommand;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Visibility;
import org.truce.core.incident.Acled;
import org.truce.core.incident.IncidentRules;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.tlog.FormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce import}: records from the formats the field uses, signed by a party and sequenced together. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import records into a server, each signed as an entry with your party key.",
        subcommands = ImportCommand.AcledImport.class)
public final class ImportCommand {
    private ImportCommand() {}

    /** {@code truce import acled}. */
    @Command(name = "acled", mixinStandardHelpOptions = true,
            description = {"Import incidents from an ACLED-format CSV file (ACLED's own exports, with or without their HXL "
                    + "row, or `truce export incidents`). Each good row becomes an incident entry signed with --key; all of "
                    + "them are sequenced together in one transaction, so the file is in the log whole or not at all.",
                "A bad row never stops the good ones: it is reported with its line number and reason, here and in "
                        + "--rejected. With --dry-run every check runs, on this machine and on the server, and nothing is written.",
                "Exit code 0 when every row was imported, 3 when some rows were rejected (the others are imported) or the "
                        + "file cannot be read as a whole, 4 when the server failed (then nothing was written)."})
    static final class AcledImport implements Callable<Integer> {
        private static final int SHOWN = 20;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
        Path file;

        @Option(names = "--key", required = true, paramLabel = "KEYFILE", description = "The party key that signs the entries.")
        Path key;

        @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "The server (default: ${DEFAULT-VALUE}).")
        String server;

        @Option(names = "--visibility", paramLabel = "WHO", defaultValue = "public",
                description = "Who may read the imported incidents: public (default), parties, or party ids separated by commas.")
        String visibility;

        @Option(names = "--dry-run", description = "Check everything and write nothing.")
        boolean dryRun;

        @Option(names = "--rejected", paramLabel = "FILE", description = "Write every rejected row's line and reason to FILE (CSV).")
        @Nullable Path rejectedFile;

        private record Rejection(long line, String reason) {}

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            EntrySigner signer;
            long size;
            try {
                signer = EntrySigner.fromPrivateKey(Files.readString(key).strip());
                size = Files.size(file);
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCodes.BAD_INPUT, e.getFile() + ": no such file");
            } catch (IOException e) {
                throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
            } catch (FormatException e) {
                throw new CliException(ExitCodes.BAD_INPUT, "--key: " + key + " is not a party's private key: " + e.getMessage());
            }
            Visibility vis = SubmitCommand.visibility(visibility);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
            long firstSeq = SubmitCommand.lastSeq(http, base, signer.keyRef()) + 1;

            List<Rejection> rejected = new ArrayList<>();
            List<Long> csvLines = new ArrayList<>();
            Path ndjson;
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Progress reading = Progress.onStderr(err, "bytes read");
            try {
                ndjson = Files.createTempFile("truce-import", ".ndjson");
                ndjson.toFile().deleteOnExit();
                long[] seq = {firstSeq};
                try (InputStream raw = reading.counting(Files.newInputStream(file), size);
                    BufferedWriter w = Files.newBufferedWriter(ndjson, StandardCharsets.UTF_8)) {
                    Acled.read(new InputStreamReader(raw, StandardCharsets.UTF_8), row -> {
                        try {
                            w.write(signer.sign(IncidentRules.INCIDENT, row.incident(), vis, List.of(), seq[0]++, at).toJson()
                                    .toString());
                            w.write('\n');
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        csvLines.add(row.line());
                    }, bad -> rejected.add(new Rejection(bad.line(), bad.reason())));
                }
                reading.update(size, size);
                reading.finish();
            } catch (Acled.FormatException e) {
                reading.finish();
                throw new CliException(ExitCodes.BAD_INPUT, file + ": " + e.getMessage() + "; nothing was imported");
            } catch (IOException | java.io.UncheckedIOException e) {
                reading.finish();
                throw new CliException(ExitCodes.BAD_INPUT, "cannot read " + file + ": " + e.getMessage());
            }
            out.printf("%,d rows read: %,d to import, %,d rejected%n", csvLines.size() + rejected.size(), csvLines.size(),
                    rejected.size());
            JsonNode answer = null;
            if (!csvLines.isEmpty()) {
                answer = send(http, base, ndjson, err);
                for (JsonNode r : answer.get("refused")) {
                    rejected.add(new Rejection(csvLines.get(r.get("line").asInt() - 1), r.get("detail").asText()));
                }
                long unlisted = answer.get("refusedCount").asLong() - answer.get("refused").size();
                if (unlisted > 0) {
                    out.printf("(the server refused %,d more rows than it listed)%n", unlisted);
                }
                long accepted = answer.get("accepted").asLong();
                if (dryRun) {
                    out.printf("dry run: %,d would be imported, %,d are already in the log; nothing was written%n", accepted,
                            answer.get("duplicates").asLong());
                } else {
                    out.printf("%,d imported%s, %,d already in the log%n", accepted, accepted > 0 ? " at log indexes "
                            + answer.get("firstIndex").asLong() + "–" + answer.get("lastIndex").asLong() : "",
                            answer.get("duplicates").asLong());
                }
            }
            try {
                Files.deleteIfExists(ndjson);
            } catch (IOException e) {
                // A temporary file; deleted on exit otherwise.
            }
            rejected.sort(java.util.Comparator.comparingLong(Rejection::line));
            for (Rejection r : rejected.subList(0, Math.min(SHOWN, rejected.size()))) {
                err.println("line " + r.line + ": " + r.reason);
            }
            if (rejected.size() > SHOWN) {
                err.printf("… and %,d more rejected rows%s%n", rejected.size() - SHOWN, rejectedFile == null
                        ? "; list them all with --rejected FILE" : " in " + rejectedFile);
            }
            if (rejectedFile != null) {
                writeRejected(rejected);
            }
            return rejected.isEmpty() ? ExitCodes.OK : ExitCodes.BAD_INPUT;
        }

        private JsonNode send(HttpClient http, String base, Path ndjson, PrintWriter err) throws InterruptedException {
            long total;
            try {
                total = Files.size(ndjson);
            } catch (IOException e) {
                throw new CliException(ExitCodes.STORAGE, e.getMessage());
            }
            Progress sending = Progress.onStderr(err, "bytes sent");
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return sending.counting(Files.newInputStream(ndjson), total);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            HttpResponse<byte[]> r;
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/entries/batch" + (dryRun ? "?dryRun=true" : "")))
                        .header("Content-Type", "application/x-ndjson").timeout(Duration.ofMinutes(30)).POST(body).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                sending.finish();
                throw new CliException(ExitCodes.STORAGE, "cannot reach " + base + ": " + e.getMessage()
                        + "; the batch is written whole or not at all");
            }
            sending.finish();
            JsonNode j;
            try {
                j = Json.parse(r.body());
            } catch (InvalidJsonException e) {
                throw new CliException(ExitCodes.STORAGE, "the server answered " + r.statusCode() + " without JSON");
            }
            if (r.statusCode() >= 400) {
                throw new CliException(r.statusCode() >= 500 ? ExitCodes.STORAGE : ExitCodes.BAD_INPUT, "the server refused "
                        + "the import (" + r.statusCode() + "): " + j.path("detail").asText() + "; nothing was imported");
            }
            return j;
        }

        private void writeRejected(List<Rejection> rejected) {
            StringBuilder sb = new StringBuilder("line,reason\r\n");
            for (Rejection r : rejected) {
                sb.append(r.line).append(",\"").append(r.reason.replace("\"", "\"\"")).append("\"\r\n");
            }
            try {
                Files.writeString(rejectedFile, sb.toString());
            } catch (IOException e) {
                throw new CliException(ExitCodes.STORAGE, "cannot write " + rejectedFile + ": " + e.getMessage());
            }
        }
    }
}
