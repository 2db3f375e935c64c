package io.jhttpd.app;

import io.jhttpd.app.config.UsageException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.app.ops.Metrics;
import io.jhttpd.app.ops.OpsSettings;
import io.jhttpd.app.store.DataStore;
import io.jhttpd.app.store.InMemoryDataStore;
import io.jhttpd.app.store.Item;
import io.jhttpd.app.store.StoreUnavailableException;
import io.jhttpd.app.testing.TestApp;
import io.jhttpd.app.testing.TestPostgres;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.testing.StalledStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics}, {@code /health} and {@code /ready}, end to end: exact counts after known traffic,
 * readiness following the store and shutdown, and the admin port that takes them off the API's port.
 */
class OpsEndpointsTest {

    @TempDir
    Path temp;

    /** The bytes of a response as sent (one framed by Content-Length). */
    private static long wireLength(Reply reply) {
        return reply.head().length() + 4 + reply.body().length;
    }

    /** The samples of an exposition: series (name and labels) to value. */
    static Map<String, String> samples(String exposition) {
        Map<String, String> samples = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return samples;
    }

    /** Only the {@code jhttpd_requests_total} samples. */
    static Map<String, String> requestSeries(Map<String, String> samples) {
        Map<String, String> requests = new LinkedHashMap<>(samples);
        requests.keySet().removeIf(name -> !name.startsWith("jhttpd_requests_total"));
        return requests;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("still waiting for: %s", what).isTrue();
            Thread.sleep(5);
        }
    }

    private static Reply fetch(int port, String target) throws IOException {
        try (RawClient c = new RawClient(port)) {
            return c.send(get(target)).read();
        }
    }

    @Test
    void metricsCountKnownTrafficExactly() throws Exception {
        try (TestApp app = TestApp.start(temp, "--quiet", "--max-connections", "2"); RawClient a = app.raw()) {
            Metrics metrics = app.running.metrics().orElseThrow();
            long in = 0;
            long out = 0;
            String post = crlf("POST /data HTTP/1.1", "Host: t", "Content-Type: application/json",
                    "Content-Length: 14", "") + "{\"name\":\"pen\"}";
            String[] requests = {get("/"), get("/"), get("/"), post, get("/data/99"), get("/data/98")};
            int[] statuses = {200, 200, 200, 201, 404, 404};
            for (int i = 0; i < requests.length; i++) {
                Reply reply = a.send(requests[i]).read();
                assertThat(reply.status()).as(requests[i]).isEqualTo(statuses[i]);
                in += requests[i].length();
                out += wireLength(reply);
            }
            try (RawClient b = app.raw()) {
                await("the second connection to open", () -> metrics.openConnections() == 2);
                try (RawClient c = app.raw()) {
                    assertThat(c.read().status()).as("past the cap of 2").isEqualTo(503);
                }
                String bad = crlf("GET / HTTP/1.1", "Host: t", "Bad Header: x", "");
                Reply rejected = b.send(bad).read();
                assertThat(rejected.status()).isEqualTo(400);
                in += bad.length();
                out += wireLength(rejected);
            }
            await("the second connection to close", () -> metrics.openConnections() == 1);

            Reply scrape = a.send(get("/metrics")).read();
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            Map<String, String> samples = samples(scrape.bodyText());
            assertThat(requestSeries(samples))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "jhttpd_requests_total{method=\"GET\",status=\"200\"}", "3",
                            "jhttpd_requests_total{method=\"POST\",status=\"201\"}", "1",
                            "jhttpd_requests_total{method=\"GET\",status=\"404\"}", "2",
                            "jhttpd_requests_total{method=\"OTHER\",status=\"400\"}", "1"));
            assertThat(samples)
                    .containsEntry("jhttpd_request_duration_seconds_count", "7")
                    .containsEntry("jhttpd_request_duration_seconds_bucket{le=\"+Inf\"}", "7")
                    .containsEntry("jhttpd_requests_in_flight", "1") // the scrape itself
                    .containsEntry("jhttpd_connections_open", "1")
                    .containsEntry("jhttpd_connections_total", "2")
                    .containsEntry("jhttpd_connections_rejected_total", "1")
                    .containsEntry("jhttpd_accept_failures_total", "0")
                    .containsEntry("jhttpd_request_bytes_total", String.valueOf(in))
                    .containsEntry("jhttpd_response_bytes_total", String.valueOf(out))
                    .containsEntry("jhttpd_store_errors_total", "0")
                    .containsEntry("jhttpd_access_log_dropped_total", "0");
        }
    }

    @Test
    void theExpositionIsWellFormedPrometheusText() throws Exception {
        try (TestApp app = TestApp.start(temp, "--quiet")) {
            app.get("/");
            String text = app.get("/metrics").body();
            String type = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    type = line.split(" ")[2];
                    assertThat(line).matches("# TYPE [a-z_]+ (counter|gauge|histogram)");
                } else if (!line.startsWith("# HELP ")) {
                    assertThat(line).as("a sample of the family its TYPE line names").startsWith(type)
                            .matches("[a-z_]+(\\{[a-z]+=\"[^\"]*\"(,[a-z]+=\"[^\"]*\")*\\})? [0-9]+(\\.[0-9]+)?(E-?[0-9]+)?");
                }
            }
            assertThat(text).endsWith("\n").contains("jhttpd_request_duration_seconds_bucket{le=\"0.005\"} ");
        }
    }

    @Test
    void healthIsUpAndReadyIsReadyWithAWorkingStore() throws Exception {
        try (TestApp app = TestApp.start(temp, "--quiet")) {
            var health = app.get("/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");
            assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");
            var ready = app.get("/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
            try (RawClient c = app.raw()) {
                Reply head = c.send(crlf("HEAD /metrics HTTP/1.1", "Host: t", "")).read(true);
                assertThat(head.status()).isEqualTo(200);
            }
        }
    }

    /** An in-memory store a test can take down and bring back. */
    static final class SwitchableStore implements DataStore {
        final AtomicBoolean down = new AtomicBoolean();
        private final InMemoryDataStore items = new InMemoryDataStore();

        private void check() {
            if (down.get()) {
                throw new StoreUnavailableException("switched off by the test", null);
            }
        }

        @Override
        public Item create(ObjectNode fields) {
            check();
            return items.create(fields);
        }

        @Override
        public Optional<Item> get(long id) {
            check();
            return items.get(id);
        }

        @Override
        public List<Item> list() {
            check();
            return items.list();
        }

        @Override
        public Optional<Item> replace(long id, ObjectNode fields) {
            check();
            return items.replace(id, fields);
        }

        @Override
        public boolean delete(long id) {
            check();
            return items.delete(id);
        }

        @Override
        public Optional<Item> replaceIfUnchanged(long id, ObjectNode fields, Item expected) {
            check();
            return items.replaceIfUnchanged(id, fields, expected);
        }

        @Override
        public boolean deleteIfUnchanged(long id, Item expected) {
            check();
            return items.deleteIfUnchanged(id, expected);
        }

        @Override
        public void ping() {
            check();
        }
    }

    private static Options options(String... more) throws UsageException {
        List<String> args = new java.util.ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        args.addAll(List.of(more));
        return Options.parse(args.toArray(String[]::new));
    }

    @Test
    void readyFollowsTheStoreAndStoreFailuresAreCounted() throws Exception {
        SwitchableStore store = new SwitchableStore();
        try (RunningApp app = App.start(options("--quiet"), OpsSettings.defaults(), store, System.out)) {
            assertThat(fetch(app.port(), "/ready").status()).isEqualTo(200);
            store.down.set(true);
            Reply notReady = fetch(app.port(), "/ready");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.header("Content-Type")).isEqualTo("application/json");
            assertThat(notReady.bodyText()).isEqualTo("{\"error\":\"The data store is unavailable\",\"status\":503}");
            assertThat(fetch(app.port(), "/data").status()).isEqualTo(503);
            assertThat(fetch(app.port(), "/data/1").status()).isEqualTo(503);
            assertThat(fetch(app.port(), "/health").status()).as("alive all the same").isEqualTo(200);
            store.down.set(false);
            assertThat(fetch(app.port(), "/ready").status()).isEqualTo(200);
            assertThat(samples(fetch(app.port(), "/metrics").bodyText()))
                    .containsEntry("jhttpd_store_errors_total", "2")
                    .containsEntry("jhttpd_requests_total{method=\"GET\",status=\"503\"}", "3");
        }
    }

    @Test
    void readyIs503WhilePostgresqlIsDownAndRecoversWhenItReturns() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema();
             TestApp app = TestApp.start(temp, "--quiet", "--store", schema.storeUrl())) {
            assertThat(app.get("/ready").statusCode()).isEqualTo(200);
            try {
                DurableStoresTest.testPostgres("stop");
                var notReady = app.get("/ready");
                assertThat(notReady.statusCode()).as(notReady.body()).isEqualTo(503);
                assertThat(Json.mapper().readTree(notReady.body()).get("error").asText()).startsWith("The data store");
                assertThat(app.get("/data").statusCode()).isEqualTo(503);
                assertThat(samples(app.get("/metrics").body())).containsEntry("jhttpd_store_errors_total", "1");
            } finally {
                DurableStoresTest.testPostgres("start");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status;
            while ((status = app.get("/ready").statusCode()) != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(status).as("ready again within 60 s of PostgreSQL's return").isEqualTo(200);
        }
    }

    @Test
    void readyIs503OnTheAdminPortWhileTheApiDrainsOnShutdown() throws Exception {
        TestApp app = TestApp.start(temp, OpsSettings.defaults().withAdminPort(0), "--quiet");
        int adminPort = app.running.opsPort();
        try (RawClient c = app.raw()) {
            assertThat(fetch(adminPort, "/ready").status()).isEqualTo(200);
            // In flight, as in ConcurrencyAndLimitsTest: the 100 Continue proves the handler reads the body.
            c.send(crlf("POST /data HTTP/1.1", "Host: t", "Content-Type: application/json",
                    "Content-Length: 8", "Expect: 100-continue", ""));
            assertThat(c.read().status()).isEqualTo(100);
            c.send("{\"a\":");
            AtomicBoolean clean = new AtomicBoolean();
            Thread closer = Thread.ofVirtual().start(() -> clean.set(app.running.close(Duration.ofSeconds(10))));
            await("the API to start stopping", () -> app.server.isStopping());

            Reply stopping = fetch(adminPort, "/ready");
            assertThat(stopping.status()).isEqualTo(503);
            assertThat(stopping.bodyText()).isEqualTo("{\"error\":\"The server is shutting down\",\"status\":503}");
            assertThat(fetch(adminPort, "/health").status()).isEqualTo(200);

            c.send("42}");
            assertThat(c.read().status()).isEqualTo(201);
            closer.join();
            assertThat(clean).isTrue();
            assertThat(app.running.adminServer().orElseThrow().isStopping()).as("the admin port closes last").isTrue();
        } finally {
            app.close();
        }
    }

    @Test
    void withAnAdminPortTheEndpointsAnswerOnlyThereAndItsTrafficIsNotCounted() throws Exception {
        try (TestApp app = TestApp.start(temp, OpsSettings.defaults().withAdminPort(0).withAdminHost("127.0.0.1"),
                "--quiet")) {
            int adminPort = app.running.opsPort();
            assertThat(adminPort).isNotEqualTo(app.port());
            for (String path : new String[] {"/metrics", "/health", "/ready"}) {
                assertThat(app.get(path).statusCode()).as("API port %s", path).isEqualTo(404);
                assertThat(fetch(adminPort, path).status()).as("admin port %s", path).isEqualTo(200);
            }
            assertThat(fetch(adminPort, "/data").status()).as("the API is not on the admin port").isEqualTo(404);
            assertThat(fetch(adminPort, "/nowhere").header("Content-Type")).isEqualTo("application/json");
            Map<String, String> samples = samples(fetch(adminPort, "/metrics").bodyText());
            assertThat(requestSeries(samples))
                    .containsExactlyEntriesOf(Map.of("jhttpd_requests_total{method=\"GET\",status=\"404\"}", "3"));
        }
    }

    @Test
    void theOpsEndpointsCanBeTurnedOff() throws Exception {
        try (TestApp app = TestApp.start(temp, OpsSettings.defaults().withOpsEndpoints(false), "--quiet")) {
            assertThat(app.get("/metrics").statusCode()).isEqualTo(404);
            assertThat(app.get("/ready").statusCode()).isEqualTo(404);
            assertThat(app.running.opsPort()).isEqualTo(-1);
            assertThat(app.running.metrics()).isEmpty();
        }
    }

    @Test
    void anAdminPortAlreadyInUseFailsTheStartAndReleasesTheApiPort() throws Exception {
        try (TestApp first = TestApp.start(temp, "--quiet")) {
            OpsSettings clash = OpsSettings.defaults().withAdminPort(first.port()).withAdminHost("127.0.0.1");
            Options options = options("--quiet");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> App.start(options, clash, new InMemoryDataStore(), System.out))
                    .isInstanceOf(java.net.BindException.class);
        }
    }

    @Test
    void anAccessLogStalledOnItsOutputDropsLinesWithoutHoldingRequestsAndMetricsCountThem() throws Exception {
        StalledStream stall = new StalledStream();
        PrintStream out = new PrintStream(stall, true, StandardCharsets.UTF_8);
        try (RunningApp app = App.start(options(), OpsSettings.defaults().withAccessLogBuffer(2), new InMemoryDataStore(),
                out)) {
            assertThat(fetch(app.port(), "/").status()).isEqualTo(200);
            assertThat(stall.entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                assertThat(fetch(app.port(), "/").status()).as("served while the log is stalled").isEqualTo(200);
            }
            assertThat(samples(fetch(app.port(), "/metrics").bodyText()))
                    .containsEntry("jhttpd_access_log_dropped_total", "3");
            stall.release.countDown();
        }
    }

    @Test
    void theAccessLogGoesToAFileInTheChosenFormat() throws Exception {
        Path file = temp.resolve("logs/access.log");
        java.nio.file.Files.createDirectories(file.getParent());
        OpsSettings ops = OpsSettings.defaults().withAccessLogFile(file)
                .withAccessLogFormat(io.jhttpd.filters.AccessLogFilter.Format.JSON);
        try (TestApp app = TestApp.start(temp, ops)) {
            try (RawClient c = app.raw()) {
                c.send(crlf("GET /echo?msg=hi HTTP/1.1", "Host: t", "User-Agent: ops-test/1.0", "")).read();
            }
            assertThat(app.running.flushAccessLog(Duration.ofSeconds(10))).isTrue();
            assertThat(app.stdout()).isEmpty();
            assertThat(java.nio.file.Files.readAllLines(file)).singleElement().satisfies(line -> assertThat(line)
                    .matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",\"remote\":\"127\\.0\\.0\\.1\","
                            + "\"method\":\"GET\",\"path\":\"/echo\",\"query\":\"msg=hi\",\"version\":\"HTTP/1\\.1\","
                            + "\"status\":200,\"bytes\":16,\"duration_ms\":\\d+\\.\\d{3},\"referer\":null,"
                            + "\"user_agent\":\"ops-test/1\\.0\"\\}"));
        }
    }

    @Test
    void combinedFormatOnStdoutCarriesRefererAndUserAgent() throws Exception {
        OpsSettings ops = OpsSettings.defaults().withAccessLogFormat(io.jhttpd.filters.AccessLogFilter.Format.COMBINED);
        try (TestApp app = TestApp.start(temp, ops)) {
            try (RawClient c = app.raw()) {
                c.send(crlf("GET /data/5 HTTP/1.1", "Host: t", "Referer: https://example.com/list",
                        "User-Agent: ops-test/1.0", "")).read();
            }
            assertThat(app.stdout()).matches("127\\.0\\.0\\.1 - - \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "
                    + "\"GET /data/5 HTTP/1\\.1\" 404 45 \"https://example\\.com/list\" \"ops-test/1\\.0\" \\d+\\.\\d{3}ms\n");
        }
    }
}
