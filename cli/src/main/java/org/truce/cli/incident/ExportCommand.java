package org.truce.cli.incident;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Output;
import org.truce.cli.access.ApiReader;
import org.truce.cli.access.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code truce export}: records in the formats the field already uses. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export records from a server in the formats the field uses. Only what you may read is exported.",
        subcommands = {ExportCommand.Incidents.class, ExportCommand.CapAlerts.class})
public final class ExportCommand {
    private ExportCommand() {}

    /** {@code truce export incidents}. */
    @Command(name = "incidents", mixinStandardHelpOptions = true,
            description = {"Export the incidents a filter selects: as ACLED-format CSV (ACLED's columns in ACLED's order, "
                    + "then Truce's, under a row of HXL hashtags), which `truce import acled` reads back to the same "
                    + "incidents; or as GeoJSON (RFC 7946) for GIS tools."})
    static final class Incidents implements Callable<Integer> {
        @Mixin
        ReadOptions read;

        @Mixin
        FilterOptions filter;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
                description = "csv (default) or geojson (an RFC 7946 FeatureCollection).")
        String format;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        @Nullable Path out;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> paths = Map.of("csv", "/api/v1/exports/incidents.csv", "geojson",
                    "/api/v1/exports/incidents.geojson");
            String path = paths.get(format);
            if (path == null) {
                throw new CliException(ExitCodes.USAGE, "--format: '" + format + "' is not one of " + String.join(", ",
                        new java.util.TreeSet<>(paths.keySet())));
            }
            ApiReader api = ApiReader.open(read);
            Output.write(out, o -> api.download(path, filter.query(), o));
            return ExitCodes.OK;
        }
    }

    /** {@code truce export cap}. */
    @Command(name = "cap", mixinStandardHelpOptions = true,
            description = "Write a CAP 1.2 alert (XML) for every incident a filter selects that touches notified sites or "
                    + "movements, one file per alert named after its identifier, into DIR.")
    static final class CapAlerts implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Mixin
        FilterOptions filter;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "The directory to write into.")
        Path dir;

        @Override
        public Integer call() throws InterruptedException {
            ApiReader api = ApiReader.open(read);
            filter.notified = true;
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new CliException(ExitCodes.STORAGE, "cannot create " + dir + ": " + e.getMessage());
            }
            int written = 0;
            String after = null;
            do {
                Map<String, @Nullable String> q = filter.query();
                q.put("limit", "500");
                q.put("after", after);
                com.fasterxml.jackson.databind.JsonNode page = api.get("/api/v1/incidents", q);
                for (com.fasterxml.jackson.databind.JsonNode i : page.get("incidents")) {
                    String id = i.get("id").asText();
                    Map<String, @Nullable String> none = new java.util.LinkedHashMap<>();
                    none.put("at", null);
                    Output.write(dir.resolve("truce-" + id + "-v" + i.get("version").asInt() + ".xml"),
                            o -> api.download("/api/v1/incidents/" + ApiReader.segment(id) + "/cap", none, o));
                    written++;
                }
                after = page.path("next").isTextual() ? page.get("next").textValue() : null;
            } while (after != null);
            spec.commandLine().getOut().println(written + " CAP alert" + (written == 1 ? "" : "s") + " written to " + dir);
            return ExitCodes.OK;
        }
    }
}
