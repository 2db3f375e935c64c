package io.jhttpd.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.app.testing.TestApp;
import io.jhttpd.app.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only a durable store promises, end to end: items survive a restart, ids only grow across one,
 * and PostgreSQL going away costs 503s (not hangs, not 500s) until it is back, with no restart of
 * jhttpd.
 */
class DurableStoresTest {

    @TempDir
    Path temp;

    private static long id(HttpResponse<String> created) throws IOException {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.mapper().readTree(created.body()).get("id").asLong();
    }

    @ParameterizedTest(name = "--store {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void restartingKeepsTheItemsAndIdsKeepGrowing(String kind) throws Exception {
        try (TestPostgres.Schema schema = kind.equals("postgresql") ? TestPostgres.freshSchema() : null) {
            String store = schema == null ? "sqlite:" + temp.resolve("data.db") : schema.storeUrl();
            long kept;
            long last;
            try (TestApp app = TestApp.start(temp, "--quiet", "--store", store)) {
                kept = id(app.sendJson("POST", "/data", "{\"name\":\"kept\",\"price\":1.50}"));
                id(app.sendJson("POST", "/data", "{\"name\":\"second\"}"));
                last = id(app.sendJson("POST", "/data", "{\"name\":\"newest\"}"));
                assertThat(app.send(app.request("/data/" + last).DELETE().build()).statusCode()).isEqualTo(200);
            }
            try (TestApp app = TestApp.start(temp, "--quiet", "--store", store)) {
                assertThat(app.get("/data/" + kept).body())
                        .isEqualTo("{\"id\":" + kept + ",\"name\":\"kept\",\"price\":1.50}");
                assertThat(app.get("/data/" + last).statusCode()).isEqualTo(404);
                assertThat(Json.mapper().readTree(app.get("/data").body())).hasSize(2);
                assertThat(id(app.sendJson("POST", "/data", "{}"))).isGreaterThan(last);
            }
        }
    }

    @Test
    void whilePostgresqlIsDownRequestsGet503AndServiceResumesWhenItReturns() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema();
             TestApp app = TestApp.start(temp, "--quiet", "--store", schema.storeUrl())) {
            long id = id(app.sendJson("POST", "/data", "{\"before\":true}"));
            try {
                testPostgres("stop");
                // The client's 20 s request timeout would fail the test if the server hung.
                assertUnavailable(app.get("/data/" + id));
                assertUnavailable(app.sendJson("POST", "/data", "{\"during\":true}"));
                assertUnavailable(app.get("/data"));
            } finally {
                testPostgres("start");
            }
            HttpResponse<String> back = awaitStatus(app, "/data/" + id, 200);
            assertThat(Json.mapper().readTree(back.body()).get("before").asBoolean()).isTrue();
            assertThat(id(app.sendJson("POST", "/data", "{\"after\":true}"))).isGreaterThan(id);
        }
    }

    private static void assertUnavailable(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(503);
        assertThat(body.get("error").asText()).contains("unavailable").doesNotContain("SQL", "Exception");
    }

    private static HttpResponse<String> awaitStatus(TestApp app, String path, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            HttpResponse<String> r = app.get(path);
            if (r.statusCode() == status || System.nanoTime() > deadline) {
                assertThat(r.statusCode()).as("still %s after 60 s: %s", r.statusCode(), r.body()).isEqualTo(status);
                return r;
            }
            Thread.sleep(200);
        }
    }

    /** Runs scripts/test-postgres, the script that scripts/start-test-services uses to run the test cluster. */
    static void testPostgres(String action) throws Exception {
        Path script = projectRoot().resolve("scripts/test-postgres");
        Process p = new ProcessBuilder(script.toString(), action).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("scripts/test-postgres %s: %s", action, output).isZero();
    }

    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/start-test-services"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("no scripts/start-test-services above the working directory").isNotNull();
        return dir;
    }
}
