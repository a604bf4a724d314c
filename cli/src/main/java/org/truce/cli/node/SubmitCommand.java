package org.truce.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.tlog.FormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce submit}: sign an entry as a party and send it. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Sign the body in FILE as an entry of KIND with a party key, with the next seq of that key, "
                + "send it to the server and print where it was sequenced.")
public final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "The entry's kind, e.g. message.")
    String kind;

    @Parameters(index = "1", paramLabel = "FILE", description = "The body, a JSON object ('-' for standard input).")
    String file;

    @Option(names = "--key", required = true, paramLabel = "KEYFILE", description = "The party's private key file.")
    Path key;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The server (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--visibility", paramLabel = "WHO", defaultValue = "public",
            description = "public, parties, or a comma-separated list of party ids (default: ${DEFAULT-VALUE}).")
    String visibility;

    @Override
    public Integer call() throws InterruptedException {
        EntrySigner signer;
        byte[] bodyBytes;
        try {
            signer = EntrySigner.fromPrivateKey(Files.readString(key).strip());
            bodyBytes = file.equals("-") ? System.in.readNBytes(Submission.MAX_SIZE + 1) : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.BAD_INPUT, e.getFile() + ": no such file");
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
        } catch (FormatException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "bad private key in " + key + ": " + e.getMessage());
        }
        if (bodyBytes.length > Submission.MAX_SIZE) {
            throw new CliException(ExitCodes.BAD_INPUT, file + " is larger than " + Submission.MAX_SIZE + " bytes");
        }
        JsonNode body;
        try {
            body = Json.parse(bodyBytes);
        } catch (InvalidJsonException e) {
            throw new CliException(ExitCodes.BAD_INPUT, file + " is not valid JSON: " + e.getMessage());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        long seq = lastSeq(http, base, signer.keyRef()) + 1;
        Submission s = signer.sign(kind, body, visibility(), List.of(), seq, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/entries"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(s.toJson().toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(ExitCodes.STORAGE, "cannot reach " + base + ": " + e.getMessage());
        }
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new CliException(r.statusCode() >= 500 ? ExitCodes.STORAGE : ExitCodes.BAD_INPUT,
                    "refused (" + r.statusCode() + "): " + detail(r.body()));
        }
        spec.commandLine().getOut().println(r.body());
        return ExitCodes.OK;
    }

    private Visibility visibility() {
        return visibility(visibility);
    }

    /** A visibility option: public, parties, or party ids separated by commas. */
    public static Visibility visibility(String visibility) {
        if (visibility.equals("public")) {
            return Visibility.PUBLIC;
        }
        if (visibility.equals("parties")) {
            return Visibility.PARTIES;
        }
        try {
            return new Visibility.Named(new TreeSet<>(List.of(visibility.split(","))));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "--visibility: " + e.getMessage());
        }
    }

    /** The last seq the server sequenced under a key, 0 for none. */
    public static long lastSeq(HttpClient http, String base, String keyRef) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/keys/"
                    + URLEncoder.encode(keyRef, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                throw new CliException(ExitCodes.BAD_INPUT, "key " + keyRef + " is not registered on " + base);
            }
            return Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("lastSeq").asLong(0);
        } catch (IOException | InvalidJsonException e) {
            throw new CliException(ExitCodes.STORAGE, "cannot read key " + keyRef + " from " + base + ": " + e.getMessage());
        }
    }

    private static String detail(String problem) {
        try {
            JsonNode p = Json.parse(problem.getBytes(StandardCharsets.UTF_8));
            return p.path("detail").asText(problem);
        } catch (InvalidJsonException e) {
            return problem.length() > 200 ? problem.substring(0, 200) : problem;
        }
    }

}
