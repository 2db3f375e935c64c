package io.jhttpd.app;

import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Main as people run it, in its own JVM: the start line, the access log on stdout, and SIGTERM
 * stopping it gracefully through the shutdown hook while a request is in flight.
 */
class MainProcessTest {

    private static final Pattern START_LINE = Pattern.compile("jhttpd \\S+ serving http://127\\.0\\.0\\.1:(\\d+)/");

    @Test
    void printsItsUrlLogsRequestsAndStopsGracefullyOnSigterm(@TempDir Path temp) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--host", "127.0.0.1", "--port", "0", "--directory", temp.toString())
                .redirectError(temp.resolve("stderr.txt").toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String startLine = out.readLine();
            Matcher m = START_LINE.matcher(String.valueOf(startLine));
            assertThat(m.matches()).as("start line: %s", startLine).isTrue();
            int port = Integer.parseInt(m.group(1));

            try (RawClient c = new RawClient(port)) {
                assertThat(c.send(get("/")).read().bodyText()).isEqualTo("Hello, World!");
                assertThat(out.readLine()).contains("\"GET / HTTP/1.1\" 200 13");

                // A request whose handler is reading its body when SIGTERM arrives still gets its answer.
                c.send(crlf("POST /data HTTP/1.1", "Host: t", "Content-Type: application/json",
                        "Content-Length: 8", "Expect: 100-continue", ""));
                assertThat(c.read().status()).isEqualTo(100);
                server.destroy(); // SIGTERM
                awaitRefused(port);
                c.send("{\"a\":42}");
                Reply r = c.read();
                assertThat(r.status()).isEqualTo(201);
                assertThat(r.header("Connection")).isEqualTo("close");
            }
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the hooks ran
            assertThat(java.nio.file.Files.readString(temp.resolve("stderr.txt"))).isEmpty();
        } finally {
            server.destroyForcibly();
        }
    }

    /** A request that would hold the stop for the default 30 s (a body that never comes) is cut at the grace. */
    @Test
    void aStopWaitsForRequestsInFlightNoLongerThanTheShutdownGrace(@TempDir Path temp) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--host", "127.0.0.1", "--port", "0", "--quiet", "--shutdown-grace", "1")
                .redirectError(temp.resolve("stderr.txt").toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher m = START_LINE.matcher(String.valueOf(out.readLine()));
            assertThat(m.matches()).isTrue();
            try (RawClient c = new RawClient(Integer.parseInt(m.group(1)))) {
                c.send(crlf("POST /data HTTP/1.1", "Host: t", "Content-Type: application/json",
                        "Content-Length: 8", "Expect: 100-continue", ""));
                assertThat(c.read().status()).isEqualTo(100); // the handler now waits for a body that never comes
                server.destroy(); // SIGTERM
                assertThat(server.waitFor(15, TimeUnit.SECONDS)).as("stopped within the grace, not the 30 s body timeout")
                        .isTrue();
            }
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void takesSettingsFromTheConfigFileAndTheEnvironmentAndWritesOutItsAccessLogOnSigterm(@TempDir Path temp)
            throws Exception {
        Path log = temp.resolve("access.log");
        Path config = java.nio.file.Files.writeString(temp.resolve("jhttpd.conf"), """
                # from the file: overridden by the environment
                access-log-format = combined
                access-log = %s
                admin-port = 0   # a free port of its own
                """.formatted(log));
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--host", "127.0.0.1", "--port", "0")
                .redirectError(temp.resolve("stderr.txt").toFile());
        builder.environment().put("JHTTPD_CONFIG", config.toString());
        builder.environment().put("JHTTPD_ACCESS_LOG_FORMAT", "json");
        Process server = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher m = START_LINE.matcher(String.valueOf(out.readLine()));
            assertThat(m.matches()).isTrue();
            int port = Integer.parseInt(m.group(1));
            Matcher admin = Pattern.compile("jhttpd: /health, /ready and /metrics on http://127\\.0\\.0\\.1:(\\d+)/")
                    .matcher(String.valueOf(out.readLine()));
            assertThat(admin.matches()).isTrue();
            int adminPort = Integer.parseInt(admin.group(1));
            try (RawClient c = new RawClient(port)) {
                assertThat(c.send(get("/echo/logged")).read().bodyText()).isEqualTo("logged");
                assertThat(c.send(get("/metrics")).read().status()).isEqualTo(404); // not on the API's port
            }
            try (RawClient c = new RawClient(adminPort)) {
                assertThat(c.send(get("/metrics")).read().bodyText())
                        .contains("jhttpd_requests_total{method=\"GET\",status=\"200\"} 1\n");
            }
            server.destroy(); // SIGTERM: the shutdown hook closes the app, which writes out its log
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            server.destroyForcibly();
        }
        List<String> lines = java.nio.file.Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{").contains("\"path\":\"/echo/logged\"", "\"status\":200");
        assertThat(lines.get(1)).contains("\"path\":\"/metrics\"", "\"status\":404");
        assertThat(java.nio.file.Files.readString(temp.resolve("stderr.txt"))).isEmpty();
    }

    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                new java.net.Socket("127.0.0.1", port).close();
            } catch (java.io.IOException refused) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the server kept accepting after SIGTERM");
    }
}
