package org.truce.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Private keys on disk: a new file, readable by its owner only, never overwritten. */
public final class SecretFile {
    private SecretFile() {}

    public static void write(Path file, String key) {
        try {
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system; the platform's default permissions apply.
            }
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(ExitCodes.BAD_INPUT, file + " already exists; refusing to overwrite a key");
        } catch (IOException e) {
            throw new CliException(ExitCodes.STORAGE, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
