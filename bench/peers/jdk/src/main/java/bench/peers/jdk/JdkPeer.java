package bench.peers.jdk;

import bench.peers.common.Args;
import bench.peers.common.DataStore;
import bench.peers.common.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** JDK com.sun.net.httpserver peer on a virtual-thread-per-task executor; SimpleFileServer's handler for /static. */
public final class JdkPeer {
    private static final byte[] HELLO = "Hello, World!".getBytes();

    public static void main(String[] argv) throws IOException {
        Args args = Args.parse(argv);
        // The JDK closes keep-alive connections beyond 200 idle ones by default; lift that cap, as
        // nginx's keepalive_requests is lifted, so 512 connections and the idle test measure the server.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "20000");
        }
        DataStore store = new DataStore();
        HttpServer server = HttpServer.create(new InetSocketAddress(args.port()), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            switch (ex.getRequestURI().getPath()) {
                case "/" -> reply(ex, 200, "text/plain", HELLO);
                case "/echo" -> reply(ex, 200, "application/json",
                        Json.message(Json.queryParam(ex.getRequestURI().getRawQuery(), "msg")));
                case "/data" -> data(ex, store);
                default -> reply(ex, 404, "text/plain", new byte[0]);
            }
        });
        server.createContext("/static/", SimpleFileServer.createFileHandler(args.staticDir()));
        server.start();
    }

    private static void data(HttpExchange ex, DataStore store) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            reply(ex, 405, "text/plain", new byte[0]);
            return;
        }
        try {
            DataStore.Created c = store.create(ex.getRequestBody().readAllBytes());
            ex.getResponseHeaders().set("Location", c.location());
            reply(ex, 201, "application/json", c.json());
        } catch (IllegalArgumentException e) {
            reply(ex, 400, "text/plain", e.getMessage().getBytes());
        }
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if ("close".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Connection"))) {
            ex.getResponseHeaders().set("Connection", "close"); // the JDK closes but does not say so by itself
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
