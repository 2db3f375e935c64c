package io.jhttpd.server;

import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.ServeMain;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running server keeps its process alive after {@code main} returns, as embedders expect: every
 * thread of the server but the watchdog is virtual (a daemon), so the watchdog must not be one.
 */
class ProcessLifetimeTest {

    @Test
    void aServerKeepsItsProcessAliveAfterMainReturns() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                ServeMain.class.getName(), "return")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the child's first line").startsWith("port ");
            int port = Integer.parseInt(line.substring(5).strip());
            // main has returned; a JVM with nothing keeping it alive exits within this wait
            assertThat(child.waitFor(1, TimeUnit.SECONDS)).as("the process exited").isFalse();
            try (RawClient client = new RawClient(port)) {
                assertThat(client.send(get("/")).read().status()).isEqualTo(200);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
