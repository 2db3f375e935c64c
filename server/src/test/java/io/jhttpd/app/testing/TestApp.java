package io.jhttpd.app.testing;

import io.jhttpd.testing.RawClient;

import io.jhttpd.HttpServer;
import io.jhttpd.app.App;
import io.jhttpd.app.Options;
import io.jhttpd.app.RunningApp;
import io.jhttpd.app.config.UsageException;
import io.jhttpd.app.ops.OpsSettings;
import io.jhttpd.app.store.DataStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole app on 127.0.0.1 port 0, started through {@link Options} as a user would, with its own
 * temporary {@code --directory} and {@code --static} and captured stdout. It opens the store that
 * {@code --store} names (memory by default) and closes it after the server. {@link #stdout()} waits for
 * the access log to be written first.
 */
public final class TestApp implements AutoCloseable {

    public final RunningApp running;
    /** The API's server. */
    public final HttpServer server;
    public final DataStore store;
    public final Path directory;
    public final Path staticDir;
    public final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TestApp(Path directory, Path staticDir, OpsSettings ops, String... extraArgs)
            throws IOException, UsageException {
        this.directory = directory;
        this.staticDir = staticDir;
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0",
                "--directory", directory.toString(), "--static", staticDir.toString()));
        args.addAll(List.of(extraArgs));
        Options options = Options.parse(args.toArray(String[]::new));
        store = options.store().open();
        try {
            running = App.start(options, ops, store, new PrintStream(out, true, StandardCharsets.UTF_8));
            server = running.server();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Starts the app with fresh directories under {@code temp}; {@code extraArgs} are more flags. */
    public static TestApp start(Path temp, String... extraArgs) throws IOException, UsageException {
        return start(temp, OpsSettings.defaults(), extraArgs);
    }

    /** Starts the app with {@code ops} for its access log and operator endpoints. */
    public static TestApp start(Path temp, OpsSettings ops, String... extraArgs) throws IOException, UsageException {
        Path files = Files.createDirectories(temp.resolve("files"));
        Path statics = Files.createDirectories(temp.resolve("static"));
        Files.writeString(statics.resolve("index.html"), "<h1>static index</h1>\n");
        Files.writeString(statics.resolve("hello.txt"), "hello from static\n");
        return new TestApp(files, statics, ops, extraArgs);
    }

    public int port() {
        return server.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> sendJson(String method, String pathAndQuery, String json)
            throws IOException, InterruptedException {
        return send(request(pathAndQuery).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public RawClient raw() throws IOException {
        return new RawClient(port());
    }

    /** What the app printed, once the access log has written every line logged so far. */
    public String stdout() {
        try {
            running.flushAccessLog(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running.close(Duration.ofSeconds(5));
        store.close();
    }
}
