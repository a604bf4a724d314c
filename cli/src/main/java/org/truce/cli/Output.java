package org.truce.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jspecify.annotations.Nullable;

/**
 * Where a command writes a file it was asked for: standard output, or {@code -o FILE}, written to a
 * temporary file beside it and moved into place only when complete, so a failed command never leaves
 * half a file under the name asked for.
 */
public final class Output {
    /** Work that writes to a stream. */
    @FunctionalInterface
    public interface Writing {
        void to(OutputStream out) throws IOException, InterruptedException;
    }

    private Output() {}

    /** Runs {@code work} against standard output, or against {@code file} as a whole. */
    public static void write(@Nullable Path file, Writing work) throws InterruptedException {
        if (file == null) {
            try (OutputStream o = new FilterOutputStream(System.out) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            }) {
                work.to(o);
            } catch (IOException e) {
                throw new CliException(ExitCodes.STORAGE, "cannot write to standard output: " + e.getMessage());
            }
            return;
        }
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
            try (OutputStream o = Files.newOutputStream(tmp)) {
                work.to(o);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new CliException(ExitCodes.STORAGE, "cannot write " + file + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // The command failed already; that is what is reported.
                }
            }
        }
    }
}
