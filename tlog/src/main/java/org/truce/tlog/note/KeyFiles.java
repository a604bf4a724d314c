package org.truce.tlog.note;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Private keys on disk: one line in a new file that only its owner can read, never overwritten. */
public final class KeyFiles {
    private KeyFiles() {}

    /**
     * Writes {@code privateKey} and a newline to {@code file}, which must not exist. On a POSIX file
     * system the file is created with mode 0600, so the key is never readable by others, not even
     * for a moment.
     *
     * @throws FileAlreadyExistsException if {@code file} exists; it is left untouched
     */
    public static void writeNew(Path file, String privateKey) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, privateKey + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    }
}
