package bench.peers.undertow;

import bench.peers.common.Args;
import bench.peers.common.DataStore;
import bench.peers.common.Json;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;

import java.nio.ByteBuffer;

/** Undertow 2.3 peer: non-blocking handlers on the IO thread (1 IO thread), ResourceHandler for /static (sendfile). */
public final class UndertowPeer {
    private static final ByteBuffer HELLO = ByteBuffer.allocateDirect(13).put("Hello, World!".getBytes()).flip();

    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        DataStore store = new DataStore();
        // files of 1 KiB and more go out with FileChannel.transferTo (sendfile)
        ResourceHandler files = Handlers.resource(new PathResourceManager(args.staticDir(), 1024))
                .setDirectoryListingEnabled(false);
        Undertow.builder()
                .addHttpListener(args.port(), "0.0.0.0")
                .setIoThreads(1)
                .setSocketOption(org.xnio.Options.BACKLOG, 4096)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .setHandler(Handlers.path()
                        .addExactPath("/", UndertowPeer::hello)
                        .addExactPath("/echo", UndertowPeer::echo)
                        .addExactPath("/data", ex -> data(ex, store))
                        .addPrefixPath("/static", files))
                .build()
                .start();
    }

    private static void hello(HttpServerExchange ex) {
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        ex.getResponseSender().send(HELLO.duplicate());
    }

    private static void echo(HttpServerExchange ex) {
        var msg = ex.getQueryParameters().get("msg"); // already percent-decoded by Undertow
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(ByteBuffer.wrap(Json.message(msg == null ? "" : msg.getFirst())));
    }

    private static void data(HttpServerExchange ex, DataStore store) {
        if (!ex.getRequestMethod().equalToString("POST")) {
            ex.setStatusCode(405).endExchange();
            return;
        }
        ex.getRequestReceiver().receiveFullBytes((e, body) -> {
            try {
                DataStore.Created c = store.create(body);
                e.setStatusCode(201);
                e.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json").put(Headers.LOCATION, c.location());
                e.getResponseSender().send(ByteBuffer.wrap(c.json()));
            } catch (IllegalArgumentException err) {
                e.setStatusCode(400).endExchange();
            }
        });
    }
}
