package org.truce.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;

/**
 * Locates the shared known-answer vectors: the directory named by the system property
 * {@value #PROPERTY} (set by the surefire configuration), or else {@code ../../shared/vectors}
 * relative to the module's working directory. Fails with a message naming both when absent.
 */
public final class Vectors {
    /** The system property that names the vectors directory. */
    public static final String PROPERTY = "truce.vectors";
    /** Where the vectors are looked for when the property is not set, relative to the module. */
    public static final String FALLBACK = "../../shared/vectors";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Path dir;

    private Vectors() {}

    /** The vectors directory, resolved once. */
    public static Path dir() {
        Path d = dir;
        if (d == null) {
            d = locate();
            dir = d;
        }
        return d;
    }

    /** A file or directory inside the vectors directory, which must exist. */
    public static Path path(String relative) {
        Path p = dir().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("test vector " + relative + " is missing from " + dir());
        }
        return p;
    }

    /** Parses a JSON file inside the vectors directory. */
    public static JsonNode json(String relative) {
        return json(path(relative));
    }

    /** Parses a JSON file. */
    public static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse test vector " + file, e);
        }
    }

    /** Decodes a lowercase or uppercase hex string. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static Path locate() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path p = Paths.get(prop).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("the test vectors directory given by -D" + PROPERTY + "=" + prop
                        + " (" + p + ") does not exist; point " + PROPERTY
                        + " at the shared/vectors directory or unset it to use " + FALLBACK);
            }
            return p;
        }
        Path p = Paths.get(FALLBACK).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("test vectors not found: the system property " + PROPERTY
                    + " is not set and " + FALLBACK + " (relative to " + Paths.get("").toAbsolutePath()
                    + ", i.e. " + p + ") does not exist; set -D" + PROPERTY + "=<path to shared/vectors>");
        }
        return p;
    }
}
