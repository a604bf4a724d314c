package org.truce.tlog.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path tmp;

    @Test
    void writeNew_keyReadableByOwnerOnly_andParsesBack() throws Exception {
        NoteKeys.KeyPair k = NoteKeys.generate("us", NoteKeys.TYPE_ED25519, new SecureRandom());
        Path file = tmp.resolve("us.key");
        KeyFiles.writeNew(file, k.privateKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(NoteKeys.parseSigner(Files.readString(file).strip()).verifier().vkey()).isEqualTo(k.vkey());
    }

    @Test
    void writeNew_existingFile_refusedAndLeftAsItWas() throws Exception {
        Path file = tmp.resolve("us.key");
        Files.writeString(file, "the old key\n");
        assertThatThrownBy(() -> KeyFiles.writeNew(file, "PRIVATE+KEY+us+00000000+AAAA"))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("the old key\n");
    }
}
