package io.jhttpd.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.app.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Many clients at once, and bodies over the limit: the server stays correct and keeps serving. */
class ConcurrencyAndLimitsTest {

    @TempDir
    static Path temp;
    static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(temp, "--quiet");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void fiftyConcurrentPostsFromTwentyClientsMakeFiftyItemsWithDistinctIds() throws Exception {
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> posts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 50; i++) {
                HttpClient client = clients.get(i % 20);
                HttpRequest request = app.request("/data").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")).build();
                posts.add(pool.submit(() -> {
                    go.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
        }
        Set<Long> ids = new HashSet<>();
        Set<Integer> values = new HashSet<>();
        for (Future<HttpResponse<String>> post : posts) {
            HttpResponse<String> r = post.get();
            assertThat(r.statusCode()).isEqualTo(201);
            JsonNode item = Json.mapper().readTree(r.body());
            ids.add(item.get("id").asLong());
            values.add(item.get("n").asInt());
        }
        assertThat(ids).hasSize(50);
        assertThat(values).hasSize(50);
        JsonNode all = Json.mapper().readTree(app.get("/data").body());
        Set<Long> listed = new HashSet<>();
        all.forEach(item -> listed.add(item.get("id").asLong()));
        assertThat(all.size()).isEqualTo(50);
        assertThat(listed).isEqualTo(ids);
    }

    @Test
    void twoHundredConcurrentGetsAllAnswer200() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> gets = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                String target = i % 2 == 0 ? "/" : "/echo?msg=n" + i;
                gets.add(pool.submit(() -> {
                    go.await();
                    return app.get(target);
                }));
            }
            go.countDown();
        }
        for (int i = 0; i < gets.size(); i++) {
            HttpResponse<String> r = gets.get(i).get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(i % 2 == 0 ? "Hello, World!" : "{\"message\":\"n" + i + "\"}");
        }
    }

    @Test
    void aSixMegabyteBodyIs413AndTheServerKeepsServing() throws Exception {
        byte[] six = new byte[6 * 1024 * 1024];
        java.util.Arrays.fill(six, (byte) ' ');
        six[0] = '{';
        six[six.length - 1] = '}';
        HttpResponse<String> r = app.send(app.request("/data").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(six)).build());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(Json.mapper().readTree(r.body()).get("status").asInt()).isEqualTo(413);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        try (RawClient c = app.raw()) {
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AndNothingIsStored() throws Exception {
        int before = Json.mapper().readTree(app.get("/data").body()).size();
        byte[] six = new byte[6 * 1024 * 1024];
        java.util.Arrays.fill(six, (byte) ' ');
        HttpResponse<String> r = app.send(app.request("/files/too-big.bin")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(six))).build());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(app.directory.resolve("too-big.bin")).doesNotExist();
        assertThat(Json.mapper().readTree(app.get("/data").body()).size()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheConfiguredMaxBodyIs413AndOneAtTheLimitIsAccepted(@TempDir Path other) throws Exception {
        try (TestApp small = TestApp.start(other, "--quiet", "--max-body", "1KB")) {
            String atLimit = "{\"s\":\"" + "x".repeat(1024 - 8) + "\"}";
            assertThat(atLimit).hasSize(1024);
            assertThat(small.sendJson("POST", "/data", atLimit).statusCode()).isEqualTo(201);
            assertThat(small.sendJson("POST", "/data", atLimit + " ").statusCode()).isEqualTo(413);
            try (RawClient c = small.raw()) {
                Reply r = c.send(crlf("POST /data HTTP/1.1", "Host: t", "Content-Type: application/json",
                        "Content-Length: 1025", "")).read();
                assertThat(r.status()).isEqualTo(413);
                assertThat(r.header("Connection")).isEqualTo("close");
            }
            assertThat(small.get("/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void maxConnectionsCapsOpenConnectionsWith503AndTheOthersKeepWorking(@TempDir Path other) throws Exception {
        try (TestApp capped = TestApp.start(other, "--quiet", "--max-connections", "3")) {
            List<RawClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawClient c = capped.raw();
                    open.add(c);
                    assertThat(c.send(get("/")).read().status()).isEqualTo(200);
                }
                try (RawClient fourth = capped.raw()) {
                    Reply refused = fourth.send(get("/")).read();
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.header("Connection")).isEqualTo("close");
                    assertThat(refused.header("Content-Type")).isEqualTo("application/json");
                }
                for (RawClient c : open) {
                    assertThat(c.send(get("/")).read().status()).as("an existing connection").isEqualTo(200);
                }
            } finally {
                for (RawClient c : open) {
                    c.close();
                }
            }
        }
    }

    @Test
    void closingTheServerLetsAnInFlightRequestFinish(@TempDir Path other) throws Exception {
        TestApp stopping = TestApp.start(other, "--quiet");
        int port = stopping.port();
        try (RawClient c = stopping.raw()) {
            // The 100 Continue proves the handler is reading the body: the request is in flight, not
            // merely sent, when close() starts. (A request still in the socket buffer of a connection
            // the server thinks idle may be closed unanswered, which RFC 9112 §9.5 allows.)
            c.send(crlf("POST /data HTTP/1.1", "Host: t", "Content-Type: application/json",
                    "Content-Length: 8", "Expect: 100-continue", ""));
            assertThat(c.read().status()).isEqualTo(100);
            c.send("{\"a\":");
            java.util.concurrent.atomic.AtomicBoolean clean = new java.util.concurrent.atomic.AtomicBoolean();
            Thread closer = Thread.ofVirtual().start(() -> clean.set(stopping.server.close(Duration.ofSeconds(10))));
            awaitListenerClosed(port);
            c.send("42}");
            Reply r = c.read();
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.bodyText()).isEqualTo("{\"id\":1,\"a\":42}");
            assertThat(c.isClosedByServer()).isTrue();
            closer.join();
            assertThat(clean).isTrue();
        }
    }

    /** Close has begun once a new connection is refused; a deadline, not a sleep, bounds the wait. */
    private static void awaitListenerClosed(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                new java.net.Socket("127.0.0.1", port).close();
            } catch (java.io.IOException refused) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the server kept accepting connections");
    }
}
