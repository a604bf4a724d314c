package org.truce.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.truce.server.node.Node;

/**
 * The server a {@link Soak} holds its load against, in a JVM of its own so that its heap is measured
 * without the load's: opens the log in a data directory (embedded SQLite), serves it with the default
 * rate limits on a free port of 127.0.0.1 and prints {@code soak-server-port N}; then, every second,
 * {@code soak-server-heap BYTES}, the least heap in use among samples taken every 100 ms over that
 * second. It runs until it is terminated, and closes the log on SIGTERM.
 *
 * <p>Usage: {@code SoakServer DATA-DIR}
 */
public final class SoakServer {
    static final String PORT = "soak-server-port ";
    static final String HEAP = "soak-server-heap ";

    private SoakServer() {}

    public static void main(String[] args) throws InterruptedException {
        Node node = Node.open(Path.of(args[0]), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "soak-server-close"));
        System.out.println(PORT + node.serve("127.0.0.1", 0).port());
        System.out.flush();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        while (true) {
            long least = Long.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
                Thread.sleep(100);
            }
            System.out.println(HEAP + least);
            System.out.flush();
        }
    }

    /**
     * A {@code SoakServer} running in a child JVM, as the soak sees it: its port, and the least heap in use
     * it printed since last asked. Closing it terminates the child (SIGTERM, which closes the log) and
     * waits for it. Thread-safe.
     */
    static final class Child implements AutoCloseable {
        private static final int KEPT_LINES = 40;

        private final Process process;
        private final CompletableFuture<Integer> port = new CompletableFuture<>();
        private final AtomicLong leastHeap = new AtomicLong(Long.MAX_VALUE);
        private final Deque<String> lastLines = new ArrayDeque<>();

        private Child(Process process) {
            this.process = process;
            Thread reader = new Thread(this::drain, "soak-server-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Starts the server on the log in {@code data} and waits until it listens. */
        static Child start(Path data, List<String> jvmOptions) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SoakServer.class.getName(), data.toString()));
            Child child = new Child(new ProcessBuilder(cmd).redirectErrorStream(true).start());
            try {
                child.port.get(2, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                child.process.destroyForcibly();
                throw new IllegalStateException("the soak server did not listen:\n" + child.output(), e);
            }
            return child;
        }

        private void drain() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(PORT)) {
                        port.complete(Integer.parseInt(line.substring(PORT.length()).strip()));
                    } else if (line.startsWith(HEAP)) {
                        long used = Long.parseLong(line.substring(HEAP.length()).strip());
                        leastHeap.accumulateAndGet(used, Math::min);
                        continue;
                    }
                    synchronized (lastLines) {
                        lastLines.addLast(line);
                        if (lastLines.size() > KEPT_LINES) {
                            lastLines.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // The child is gone: its output ends here.
            }
            port.completeExceptionally(new IllegalStateException("the soak server exited"));
        }

        int port() {
            return port.join();
        }

        /** The least heap in use the server printed since the last call, in bytes; -1 if it printed none. */
        long takeLeastHeap() {
            long least = leastHeap.getAndSet(Long.MAX_VALUE);
            return least == Long.MAX_VALUE ? -1 : least;
        }

        /** The last lines the server printed, other than its heap. */
        String output() {
            synchronized (lastLines) {
                return String.join("\n", lastLines);
            }
        }

        /**
         * Terminates the server and waits until it has closed the log.
         *
         * @throws IllegalStateException if the server had died before, or does not stop within a minute
         */
        @Override
        public void close() throws InterruptedException {
            boolean diedBefore = !process.isAlive();
            process.destroy();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("the soak server did not stop within a minute of SIGTERM:\n" + output());
            }
            if (diedBefore) {
                throw new IllegalStateException("the soak server died during the run (exit " + process.exitValue() + "):\n" + output());
            }
        }
    }
}
