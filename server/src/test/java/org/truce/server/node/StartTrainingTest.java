package org.truce.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StartTrainingTest {
    private static List<Path> trainingDirs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("truce-start-training-")).toList();
        }
    }

    @Test
    void run_servesEveryPathItAsks_andLeavesNoLogBehind() throws Exception {
        List<Path> before = trainingDirs();
        // Throws, naming the path, if any of the first requests a client makes is not answered 200.
        StartTraining.run();
        assertThat(trainingDirs()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(StartTraining.PATHS).contains("/healthz", "/api/v1/entries/1", "/");
    }
}
