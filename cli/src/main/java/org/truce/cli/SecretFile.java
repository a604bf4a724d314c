package org.truce.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import org.truce.tlog.note.KeyFiles;

/** Private keys on disk: a new file, readable by its owner only, never overwritten. */
public final class SecretFile {
    private SecretFile() {}

    public static void write(Path file, String key) {
        try {
            KeyFiles.writeNew(file, key);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(ExitCodes.BAD_INPUT, file + " already exists; refusing to overwrite a key");
        } catch (IOException e) {
            throw new CliException(ExitCodes.STORAGE, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
