package org.truce.server.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The web interface's static files, read once from the jar: the pages' scripts and styles under
 * {@code org/truce/server/web/}, and Leaflet from its webjar. Every file is served under
 * {@code /web/<version>/…}, where the version is a hash of all of them, so a browser may cache them
 * for a year and still never mix two releases; {@code /} answers the page that loads them and is
 * never cached. Immutable once built; thread-safe.
 */
public final class WebAssets {
    /** The Leaflet release the webjar dependency ships; the server module's POM names the same. */
    public static final String LEAFLET_VERSION = "1.9.4";
    private static final String OWN = "org/truce/server/web/assets/";
    private static final String LEAFLET = "META-INF/resources/webjars/leaflet/" + LEAFLET_VERSION + "/dist/";
    /** What the page may load: its own files only, plus OpenStreetMap tiles when a reader turns them on. */
    static final String CSP = "default-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; "
            + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

    private final Map<String, byte[]> files;
    private final String version;
    private final byte[] index;

    private WebAssets(Map<String, byte[]> files) {
        this.files = Collections.unmodifiableMap(files);
        this.version = hash(files);
        byte[] page = files.get("index.html");
        if (page == null) {
            throw new IllegalStateException("the web interface's index.html is missing from the jar");
        }
        this.index = new String(page, StandardCharsets.UTF_8).replace("{{version}}", version)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Loads the files from the class path; fails if the web interface or Leaflet is missing. */
    public static WebAssets load() {
        Map<String, byte[]> files = new TreeMap<>();
        read(OWN, "index.html", "", files);
        read(LEAFLET, "leaflet.js", "leaflet/", files);
        if (!files.containsKey("leaflet/leaflet.js")) {
            throw new IllegalStateException("Leaflet " + LEAFLET_VERSION + " is missing from the class path");
        }
        return new WebAssets(files);
    }

    /** The version every asset URL carries. */
    public String version() {
        return version;
    }

    /** The asset names, relative to {@code /web/<version>/}. */
    public java.util.Set<String> names() {
        return files.keySet();
    }

    /** Registers {@code GET /} and {@code GET /web/<version>/<path>} on a Javalin configuration. */
    public void register(JavalinConfig config) {
        config.routes.get("/", this::page);
        config.routes.get("/web/{version}/<path>", this::asset);
    }

    private void page(Context ctx) {
        ctx.header("Cache-Control", "no-cache").header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer")
                .contentType("text/html; charset=utf-8").result(index);
    }

    private void asset(Context ctx) {
        String path = ctx.pathParam("path");
        byte[] data = path.equals("index.html") ? null : files.get(path);
        if (data == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("no such file: " + truncate(path) + "\n");
            return;
        }
        // A stale version is still answered, but not cached, so an open page keeps working after an upgrade.
        ctx.header("Cache-Control", ctx.pathParam("version").equals(version)
                ? "public, max-age=31536000, immutable" : "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(type(path)).result(data);
    }

    static String type(String path) {
        String ext = path.substring(path.lastIndexOf('.') + 1);
        return switch (ext) {
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "html" -> "text/html; charset=utf-8";
            case "json", "geojson" -> "application/geo+json";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            default -> "application/octet-stream";
        };
    }

    private static String truncate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                md.update(f.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(f.getValue());
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads every file under a class-path folder, from a jar or a directory, into {@code out}. The
     * folder is found through one file in it, since a jar need not list its directories.
     */
    private static void read(String folder, String anchor, String prefix, Map<String, byte[]> out) {
        ClassLoader cl = WebAssets.class.getClassLoader();
        URL url = cl.getResource(folder + anchor);
        if (url == null) {
            return;
        }
        try {
            if (url.getProtocol().equals("jar")) {
                String jar = url.getPath().substring("file:".length(), url.getPath().indexOf('!'));
                try (JarFile j = new JarFile(java.net.URLDecoder.decode(jar, StandardCharsets.UTF_8))) {
                    for (var e : Collections.list(j.entries())) {
                        if (!e.isDirectory() && e.getName().startsWith(folder)) {
                            try (InputStream in = j.getInputStream(e)) {
                                out.put(prefix + e.getName().substring(folder.length()), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                Path root = Path.of(url.toURI()).getParent();
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path p : walk.filter(Files::isRegularFile).toList()) {
                        out.put(prefix + root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web interface's files: " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
