package io.jhttpd.app;

import io.jhttpd.HttpServer;
import io.jhttpd.app.store.DataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs every curl command of the README walkthrough, in order, against a fresh server, and compares
 * what curl prints with the output written under it, so that the README cannot drift from the code.
 *
 * <p>The walkthrough is the part of README.md between {@code <!-- walkthrough:start -->} and
 * {@code <!-- walkthrough:end -->}. Each {@code ```bash} block there holds one {@code curl} command and
 * then its expected output as comment lines ({@code # text}, {@code #} for an empty line). When the
 * expected output is a response with its head ({@code curl -i}), the status line and body must match
 * exactly and each header written must be present with that value (Date and others may vary); otherwise
 * the whole output must match.
 */
class ReadmeWalkthroughTest {

    private static final Pattern BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

    record Example(String command, String expected) {
    }

    @Test
    void everyCurlCommandInTheReadmePrintsWhatTheReadmeSays(@TempDir Path files) throws Exception {
        List<Example> examples = examples(Files.readString(readme()));
        assertThat(examples).as("walkthrough examples").hasSizeGreaterThanOrEqualTo(20);
        Path staticDir = readme().getParent().resolve("static");
        Options options = Options.parse("--host", "127.0.0.1", "--port", "0", "--quiet",
                "--directory", files.toString(), "--static", staticDir.toString());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
        try (DataStore store = options.store().open(); HttpServer server = App.start(options, store, quiet)) {
            for (Example example : examples) {
                String command = example.command().replace("localhost:8080", "127.0.0.1:" + server.port());
                assertMatches(example, run(command));
            }
        }
    }

    @Test
    void theComparisonFailsOnADifferentStatusHeaderOrBody() {
        Example e = new Example("curl -si x", "HTTP/1.1 404 Not Found\nAllow: GET\n\n{\"a\":1}");
        assertMatches(e, "HTTP/1.1 404 Not Found\r\nDate: x\r\nallow: GET\r\n\r\n{\"a\":1}");
        assertThatThrownBy(() -> assertMatches(e, "HTTP/1.1 400 Bad Request\r\nAllow: GET\r\n\r\n{\"a\":1}"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertMatches(e, "HTTP/1.1 404 Not Found\r\nAllow: PUT\r\n\r\n{\"a\":1}"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertMatches(e, "HTTP/1.1 404 Not Found\r\nAllow: GET\r\n\r\n{\"a\":2}"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertMatches(new Example("curl -s x", "Hello"), "Hello!"))
                .isInstanceOf(AssertionError.class);
    }

    static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("README.md");
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("server"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }

    static List<Example> examples(String readme) {
        int start = readme.indexOf("<!-- walkthrough:start -->");
        int end = readme.indexOf("<!-- walkthrough:end -->");
        assertThat(start).as("start marker").isNotNegative();
        assertThat(end).as("end marker").isGreaterThan(start);
        List<Example> examples = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme.substring(start, end));
        while (m.find()) {
            List<String> command = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (String line : m.group(1).split("\n", -1)) {
                if (line.startsWith("#")) {
                    expected.add(line.startsWith("# ") ? line.substring(2) : line.substring(1));
                } else if (!line.isBlank()) {
                    assertThat(expected).as("a command after expected output in block:%n%s", m.group(1)).isEmpty();
                    command.add(line);
                }
            }
            assertThat(command).as("one command per block:%n%s", m.group(1)).hasSize(1);
            assertThat(command.get(0)).startsWith("curl ");
            examples.add(new Example(command.get(0), String.join("\n", expected)));
        }
        return examples;
    }

    private static String run(String command) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("bash", "-c", command + " --max-time 20")
                .redirectErrorStream(true).start();
        byte[] out = curl.getInputStream().readAllBytes();
        assertThat(curl.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    static void assertMatches(Example example, String rawActual) {
        String actual = stripOneNewline(rawActual.replace("\r\n", "\n"));
        String expected = stripOneNewline(example.expected());
        if (!expected.startsWith("HTTP/")) {
            assertThat(actual).as(example.command()).isEqualTo(expected);
            return;
        }
        String[] want = splitHead(expected);
        String[] got = splitHead(actual);
        List<String> wantLines = List.of(want[0].split("\n"));
        List<String> gotLines = List.of(got[0].split("\n"));
        assertThat(gotLines.get(0)).as("status line of %s", example.command()).isEqualTo(wantLines.get(0));
        List<String> gotHeaders = gotLines.subList(1, gotLines.size()).stream().map(ReadmeWalkthroughTest::normal).toList();
        for (String header : wantLines.subList(1, wantLines.size())) {
            assertThat(gotHeaders).as("headers of %s", example.command()).contains(normal(header));
        }
        assertThat(got[1]).as("body of %s", example.command()).isEqualTo(want[1]);
    }

    /** Header name lower-cased, value as is. */
    private static String normal(String header) {
        int colon = header.indexOf(':');
        return header.substring(0, colon).toLowerCase(Locale.ROOT) + ":" + header.substring(colon + 1).strip();
    }

    private static String[] splitHead(String response) {
        int blank = response.indexOf("\n\n");
        return blank < 0 ? new String[] {response, ""} : new String[] {response.substring(0, blank),
                response.substring(blank + 2)};
    }

    private static String stripOneNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
