package io.jhttpd.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's example excerpts stay true: each {@code java} block after an
 * {@code <!-- example:NAME.java -->} marker must be lines of that file, in order (lines in between
 * may be left out, indentation aside).
 */
class ExamplesInReadmeTest {

    private static final Path SOURCES = Path.of("src/main/java/io/jhttpd/examples");

    @Test
    void everyExcerptInTheReadmeIsInItsExampleFile() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("../README.md"));
        int excerpts = 0;
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i).strip();
            if (!line.startsWith("<!-- example:")) {
                continue;
            }
            String file = line.substring("<!-- example:".length(), line.length() - "-->".length()).strip();
            assertThat(readme.get(i + 1)).as("a java block after the marker for %s", file).isEqualTo("```java");
            List<String> excerpt = new ArrayList<>();
            for (int j = i + 2; !readme.get(j).equals("```"); j++) {
                excerpt.add(readme.get(j));
            }
            assertInOrder(excerpt, Files.readAllLines(SOURCES.resolve(file)), file);
            excerpts++;
        }
        assertThat(excerpts).as("excerpts found in README.md").isGreaterThanOrEqualTo(4);
    }

    private static void assertInOrder(List<String> excerpt, List<String> source, String file) {
        int at = 0;
        for (String line : excerpt) {
            if (line.isBlank()) {
                continue;
            }
            while (at < source.size() && !source.get(at).strip().equals(line.strip())) {
                at++;
            }
            assertThat(at).as("README line \"%s\" found in %s after the line before it", line.strip(), file)
                    .isLessThan(source.size());
            at++;
        }
    }
}
