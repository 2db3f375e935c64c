package bench.peers.jetty;

import bench.peers.common.Args;
import bench.peers.common.DataStore;
import bench.peers.common.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Jetty 12 peer: core Handler API (no servlets), ResourceHandler for /static. */
public final class JettyPeer {

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(args.port());
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);

        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(files).newResource(args.staticDir()));
        files.setDirAllowed(false);

        server.setHandler(new ContextHandlerCollection(
                new ContextHandler(files, "/static"),
                new ContextHandler(new App(new DataStore()), "/")));
        server.start();
        server.join();
    }

    /** The three dynamic endpoints; never blocks, so it may run on the selector thread. */
    static final class App extends Handler.Abstract.NonBlocking {
        private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
        private final DataStore store;

        App(DataStore store) {
            this.store = store;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            if (method.equals("GET") && path.equals("/")) {
                send(response, callback, 200, "text/plain", HELLO);
            } else if (method.equals("GET") && path.equals("/echo")) {
                String msg = Request.extractQueryParameters(request).getValue("msg"); // decoded by Jetty
                send(response, callback, 200, "application/json", Json.message(msg == null ? "" : msg));
            } else if (method.equals("POST") && path.equals("/data")) {
                Content.Source.asByteArrayAsync(request, 1 << 20).whenComplete((body, failure) -> {
                    if (failure != null) {
                        callback.failed(failure);
                        return;
                    }
                    try {
                        DataStore.Created c = store.create(body);
                        response.getHeaders().put(HttpHeader.LOCATION, c.location());
                        send(response, callback, 201, "application/json", c.json());
                    } catch (IllegalArgumentException e) {
                        send(response, callback, 400, "text/plain", e.getMessage().getBytes());
                    }
                });
            } else {
                return false; // 404 from the server
            }
            return true;
        }

        private static void send(Response response, Callback callback, int status, String type, byte[] body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
