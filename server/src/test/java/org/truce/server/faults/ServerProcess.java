package org.truce.server.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CrashServer} running in a child JVM with the test JVM's java and class path, which the
 * test kills with SIGKILL ({@link Process#destroyForcibly} on Linux). Keeps the child's last output
 * lines for the failure message. Not thread-safe: one test thread drives it.
 */
final class ServerProcess {
    private static final int KEPT_LINES = 40;

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Deque<String> lastLines = new ArrayDeque<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::drain, "truce-test-server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the server on {@code data} (and the database {@code db}, when given) without waiting for it. */
    static ServerProcess start(Path data, @Nullable String db) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashServer.class.getName(), data.toString()));
        if (db != null) {
            cmd.add("--db");
            cmd.add(db);
        }
        try {
            return new ServerProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(CrashServer.READY)) {
                    port.complete(Integer.parseInt(line.substring(CrashServer.READY.length()).strip()));
                }
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // The child was killed: its output ends here.
        }
        port.completeExceptionally(new IllegalStateException("the server exited before listening:\n" + output()));
    }

    /** Waits until the server listens and returns its port. */
    int awaitPort(long timeoutMillis) throws InterruptedException {
        try {
            return port.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the server did not listen within " + timeoutMillis + " ms:\n" + output(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Whether the server had printed its port. */
    boolean listening() {
        return port.isDone() && !port.isCompletedExceptionally();
    }

    /** Kills the server with SIGKILL and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server did not die within 30 s of SIGKILL");
        }
    }

    /** The last lines the server printed. */
    String output() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }
}
