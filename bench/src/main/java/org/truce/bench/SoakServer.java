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
 * The server a {@link Soak} or a {@link TargetsRun} holds its load against, in a JVM of its own so that
 * its heap is measured without the load's: opens the log in a data directory (embedded SQLite), serves
 * it with the default rate limits on a free port of 127.0.0.1 and prints {@code soak-server-port N}
 * and {@code soak-server-listening MILLIS}, the time from the start of {@code main} until it listened;
 * then, every second, {@code soak-server-heap BYTES}, the least heap in use among samples taken every
 * 100 ms over that second. A line {@code gc} on its standard input runs a full collection and answers
 * {@code soak-server-gc-heap BYTES}, the heap in use after it. It runs until it is terminated, and
 * closes the log on SIGTERM.
 *
 * <p>Usage: {@code SoakServer DATA-DIR}
 */
public final class SoakServer {
    static final String PORT = "soak-server-port ";
    static final String HEAP = "soak-server-heap ";
    static final String LISTENING = "soak-server-listening ";
    static final String GC_HEAP = "soak-server-gc-heap ";

    private SoakServer() {}

    public static void main(String[] args) throws InterruptedException {
        long start = System.nanoTime();
        Node node = Node.open(Path.of(args[0]), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "soak-server-close"));
        int port = node.serve("127.0.0.1", 0).port();
        long listening = (System.nanoTime() - start) / 1_000_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        synchronized (System.out) {
            System.out.println(PORT + port);
            System.out.println(LISTENING + listening);
            System.out.flush();
        }
        Thread commands = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.strip().equals("gc")) {
                        System.gc();
                        synchronized (System.out) {
                            System.out.println(GC_HEAP + memory.getHeapMemoryUsage().getUsed());
                            System.out.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // The parent closed our input: no more commands.
            }
        }, "soak-server-commands");
        commands.setDaemon(true);
        commands.start();
        while (true) {
            long least = Long.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
                Thread.sleep(100);
            }
            synchronized (System.out) {
                System.out.println(HEAP + least);
                System.out.flush();
            }
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
        private final CompletableFuture<Long> listening = new CompletableFuture<>();
        private final java.util.concurrent.BlockingQueue<Long> gcHeaps = new java.util.concurrent.LinkedBlockingQueue<>();
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
                    } else if (line.startsWith(LISTENING)) {
                        listening.complete(Long.parseLong(line.substring(LISTENING.length()).strip()));
                        continue;
                    } else if (line.startsWith(GC_HEAP)) {
                        gcHeaps.add(Long.parseLong(line.substring(GC_HEAP.length()).strip()));
                        continue;
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

        /** The operating system's id of the server's process. */
        long pid() {
            return process.pid();
        }

        /** The milliseconds the server took from the start of its {@code main} until it listened. */
        long listeningMillis() {
            return listening.join();
        }

        /**
         * Has the server run a full collection and returns its heap in use after it, in bytes.
         *
         * @throws IllegalStateException if the server does not answer within a minute
         */
        long heapAfterGc() throws IOException, InterruptedException {
            gcHeaps.clear();
            process.getOutputStream().write("gc\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            Long used = gcHeaps.poll(1, TimeUnit.MINUTES);
            if (used == null) {
                throw new IllegalStateException("the server did not report its heap after a collection:\n" + output());
            }
            return used;
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
