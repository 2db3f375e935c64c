package io.jhttpd.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.app.testing.ServerProcess;
import io.jhttpd.app.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two jhttpd processes on one PostgreSQL behind nginx as a round-robin balancer, as docs/STORES.md
 * describes: concurrent creates, reads, updates and deletes through nginx; both instances must have
 * served, every read must see the writes acknowledged before it whichever instance made them, and
 * the final data set must be exactly what was acknowledged.
 */
class ScaleOutTest {

    private static final int CLIENTS = 8;
    private static final int ITEMS_PER_CLIENT = 40;

    @TempDir
    Path temp;

    @Test
    void twoInstancesBehindNginxShareOneDataSet() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema();
             ServerProcess a = ServerProcess.start(temp, "--store", schema.storeUrl());
             ServerProcess b = ServerProcess.start(temp, "--store", schema.storeUrl())) {
            int port = freePort();
            Process nginx = startNginx(port, a.port(), b.port());
            try {
                Map<Long, String> expected = new ConcurrentHashMap<>(); // what the acknowledged writes left
                List<String> problems = new CopyOnWriteArrayList<>();
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(Thread.ofVirtual().start(() -> work(port, client, expected, problems)));
                }
                for (Thread client : clients) {
                    client.join();
                }
                assertThat(problems).isEmpty();

                HttpResponse<String> all = http().send(request(port, "/data").GET().build(), HttpResponse.BodyHandlers.ofString());
                Map<Long, String> stored = new TreeMap<>();
                for (JsonNode item : Json.mapper().readTree(all.body())) {
                    stored.put(item.get("id").asLong(), new String(Json.bytes(item)));
                }
                assertThat(stored).isEqualTo(new TreeMap<>(expected));
                assertThat(expected).hasSize(CLIENTS * (ITEMS_PER_CLIENT - ITEMS_PER_CLIENT / 3)); // every third deleted
                // Each instance's access log on stdout shows it answered part of the traffic.
                assertThat(dataRequests(a)).as("requests served by instance A").isGreaterThan(100);
                assertThat(dataRequests(b)).as("requests served by instance B").isGreaterThan(100);
            } finally {
                nginx.destroy();
                nginx.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** One client: create, read back, update every second item, delete every third. */
    private static void work(int port, int client, Map<Long, String> expected, List<String> problems) {
        HttpClient http = http();
        try {
            for (int i = 0; i < ITEMS_PER_CLIENT; i++) {
                String fields = "\"client\":" + client + ",\"n\":" + i;
                HttpResponse<String> created = send(http, request(port, "/data").POST(json("{" + fields + "}")));
                if (created.statusCode() != 201) {
                    problems.add("POST: " + created.statusCode() + " " + created.body());
                    continue;
                }
                long id = Json.mapper().readTree(created.body()).get("id").asLong();
                String item = "{\"id\":" + id + "," + fields + "}";
                expected.put(id, item);
                HttpResponse<String> read = send(http, request(port, "/data/" + id).GET());
                if (read.statusCode() != 200 || !read.body().equals(item)) {
                    problems.add("GET after POST: " + read.statusCode() + " " + read.body());
                }
                if (i % 2 == 0) {
                    String updated = "{\"id\":" + id + "," + fields + ",\"v\":2}";
                    HttpResponse<String> put = send(http, request(port, "/data/" + id).PUT(json(updated)));
                    if (put.statusCode() == 200) {
                        expected.put(id, updated);
                    } else {
                        problems.add("PUT: " + put.statusCode() + " " + put.body());
                    }
                }
                if (i % 3 == 2) {
                    HttpResponse<String> delete = send(http, request(port, "/data/" + id).DELETE());
                    if (delete.statusCode() == 200) {
                        expected.remove(id);
                    } else {
                        problems.add("DELETE: " + delete.statusCode() + " " + delete.body());
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            problems.add("client " + client + ": " + e);
        }
    }

    private static long dataRequests(ServerProcess server) {
        return server.stdout().stream().filter(line -> line.contains(" /data")).count();
    }

    private Process startNginx(int port, int upstreamA, int upstreamB) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("nginx"));
        String conf = """
                %s
                worker_processes 1;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 512; }
                http {
                    access_log off;
                    client_body_temp_path %s/client_body;
                    proxy_temp_path %s/proxy;
                    fastcgi_temp_path %s/fastcgi;
                    uwsgi_temp_path %s/uwsgi;
                    scgi_temp_path %s/scgi;
                    upstream jhttpd {
                        server 127.0.0.1:%d;
                        server 127.0.0.1:%d;
                        keepalive 32;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://jhttpd;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                        }
                    }
                }
                """.formatted(System.getProperty("user.name").equals("root") ? "user root;" : "",
                dir, dir, dir, dir, dir, dir, dir, upstreamA, upstreamB, port);
        Path confFile = Files.writeString(dir.resolve("nginx.conf"), conf);
        Process nginx = new ProcessBuilder(nginxBinary(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", confFile.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                new Socket("127.0.0.1", port).close();
                return nginx;
            } catch (IOException notYet) {
                if (!nginx.isAlive() || System.nanoTime() > deadline) {
                    nginx.destroyForcibly();
                    throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out"))
                            + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
                }
                Thread.sleep(20);
            }
        }
    }

    private static String nginxBinary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("nginx is not installed; run scripts/start-test-services (as root)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json");
    }

    private static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
