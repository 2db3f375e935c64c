package bench.peers.helidon;

import bench.peers.common.Args;
import bench.peers.common.DataStore;
import bench.peers.common.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.staticcontent.FileSystemHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

import java.nio.charset.StandardCharsets;

/** Helidon SE 4 peer: blocking-style handlers on Helidon's virtual-thread-per-request webserver. */
public final class HelidonPeer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        DataStore store = new DataStore();
        WebServer.builder()
                .port(args.port())
                .backlog(4096)
                .routing(r -> r
                        .get("/", (req, res) -> {
                            res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN);
                            res.send(HELLO);
                        })
                        .get("/echo", (req, res) -> {
                            String msg = req.query().first("msg").orElse(""); // decoded by Helidon
                            res.header(HeaderValues.CONTENT_TYPE_JSON);
                            res.send(Json.message(msg));
                        })
                        .post("/data", (req, res) -> {
                            try {
                                DataStore.Created c = store.create(req.content().as(byte[].class));
                                res.status(Status.CREATED_201);
                                res.header(HeaderValues.CONTENT_TYPE_JSON);
                                res.header(HeaderNames.LOCATION, c.location());
                                res.send(c.json());
                            } catch (IllegalArgumentException e) {
                                res.status(Status.BAD_REQUEST_400).send(e.getMessage());
                            }
                        })
                        .register("/static", StaticContentFeature.createService(
                                FileSystemHandlerConfig.builder().location(args.staticDir()).build())))
                .build()
                .start();
    }
}
