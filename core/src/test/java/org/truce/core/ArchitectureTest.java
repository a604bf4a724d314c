package org.truce.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.truce.core.json.Json;

/** The module boundary of STYLE.md: {@code core} depends on neither {@code store} nor {@code server}. */
class ArchitectureTest {
    private static final List<String> FORBIDDEN = List.of("org.truce.store", "org.truce.server");

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }

    private static String read(Path p) {
        try {
            // Latin-1 maps every byte to one char, so class files can be searched as text.
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void compiledClasses_anyCoreClass_referNeitherToStoreNorToServer() throws IOException, URISyntaxException {
        Path classes = Path.of(Json.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> all = files(classes, ".class");
        assertThat(all).as("core's compiled classes under " + classes).hasSizeGreaterThan(20);
        for (String pkg : FORBIDDEN) {
            String internal = pkg.replace('.', '/') + "/";
            assertThat(all).as("classes referring to " + pkg)
                    .filteredOn(p -> read(p).contains(internal)).isEmpty();
        }
    }

    @Test
    void sources_anyCoreSource_importNeitherStoreNorServer() throws IOException {
        Path sources = Path.of(System.getProperty("basedir", "."), "src", "main", "java");
        List<Path> all = files(sources, ".java");
        assertThat(all).as("core's sources under " + sources.toAbsolutePath()).hasSizeGreaterThan(20);
        for (String pkg : FORBIDDEN) {
            assertThat(all).as("sources naming " + pkg).filteredOn(p -> read(p).contains(pkg)).isEmpty();
        }
    }

    @Test
    void pom_coreModule_dependsNeitherOnStoreNorOnServer() throws IOException {
        String pom = Files.readString(Path.of(System.getProperty("basedir", "."), "pom.xml"));
        assertThat(pom).contains("<artifactId>truce-core</artifactId>")
                .doesNotContain("truce-store").doesNotContain("truce-server");
    }
}
