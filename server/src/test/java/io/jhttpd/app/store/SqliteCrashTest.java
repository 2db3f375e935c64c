package io.jhttpd.app.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.app.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 201 from the SQLite store means the item is on disk: the server is killed with {@code kill -9} in
 * the middle of 1,000 POSTs from 8 concurrent clients, restarted on the same file, and every item whose
 * creation was acknowledged must be there, once, with its fields intact. (A kill -9 loses the process,
 * not the OS page cache: this shows nothing is acknowledged before its commit reached the file.
 * Surviving power loss rests on synchronous=FULL, which SqliteDataStore sets.)
 */
class SqliteCrashTest {

    private static final int CLIENTS = 8;
    private static final int REQUESTS = 1_000;
    private static final int KILL_AFTER_ACKS = 400;

    @TempDir
    Path temp;

    @Test
    void everyAcknowledgedCreateSurvivesKill9ExactlyOnce() throws Exception {
        String store = "sqlite:" + temp.resolve("data.db");
        ServerProcess server = ServerProcess.start(temp, "--quiet", "--store", store);
        Map<Long, String> acknowledged = new ConcurrentHashMap<>(); // id -> the "key" field sent
        AtomicInteger next = new AtomicInteger();
        AtomicInteger acks = new AtomicInteger();
        List<Long> reusedIds = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                int n;
                while ((n = next.getAndIncrement()) < REQUESTS) {
                    String key = "item-" + n;
                    try {
                        HttpResponse<String> r = client.send(post(server.port(), key), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            long id = Json.mapper().readTree(r.body()).get("id").asLong();
                            if (acknowledged.put(id, key) != null) {
                                reusedIds.add(id);
                            }
                            if (acks.incrementAndGet() == KILL_AFTER_ACKS) {
                                server.kill();
                            }
                        }
                    } catch (IOException e) {
                        // the server is gone: this create was not acknowledged, so it may or may not be stored
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        server.kill();
        assertThat(reusedIds).as("ids acknowledged twice").isEmpty();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILL_AFTER_ACKS).hasSizeLessThan(REQUESTS);

        try (ServerProcess restarted = ServerProcess.start(temp, "--quiet", "--store", store)) {
            HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + restarted.port() + "/data")).build(), HttpResponse.BodyHandlers.ofString());
            Map<Long, JsonNode> stored = new HashMap<>();
            Map<String, Integer> copies = new HashMap<>();
            for (JsonNode item : Json.mapper().readTree(list.body())) {
                stored.put(item.get("id").asLong(), item);
                copies.merge(item.get("key").asText(), 1, Integer::sum);
            }
            assertThat(copies).as("no create is stored twice").allSatisfy((key, count) -> assertThat(count).isOne());
            acknowledged.forEach((id, key) -> {
                assertThat(stored).as("acknowledged item %d", id).containsKey(id);
                assertThat(Json.bytes(stored.get(id))).asString().isEqualTo(expected(id, key));
            });
        }
    }

    private static HttpRequest post(int port, String key) {
        String body = "{\"key\":\"" + key + "\",\"price\":1.50,\"tags\":[\"a\",\"b\"],\"note\":\"caf\u00e9 " + "x".repeat(200) + "\"}";
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/data"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String expected(long id, String key) {
        return "{\"id\":" + id + ",\"key\":\"" + key + "\",\"price\":1.50,\"tags\":[\"a\",\"b\"],\"note\":\"caf\u00e9 "
                + "x".repeat(200) + "\"}";
    }
}
