package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.ServerConfig;
import io.jhttpd.http.Response;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that resets while its handler reads the body is the client's doing, not a server failure:
 * no ERROR is logged for it (a hostile client could otherwise fill the log, a stack trace per reset,
 * as the soak showed) and the server goes on. A handler that really fails is still logged.
 */
class ClientFailureLoggingTest {

    private final List<LogRecord> errors = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("io.jhttpd");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        logger.addHandler(capture);
        Router router = TestServers.testRouter()
                .post("/stream-body", r -> {
                    r.body().transferTo(OutputStream.nullOutputStream()); // IOException propagates
                    return Response.ok().text("read");
                });
        server = HttpServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withLimits(Limits.defaults()).withShutdownGrace(Duration.ofSeconds(2)), router);
    }

    @AfterEach
    void stop() {
        server.close();
        logger.removeHandler(capture);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/echo", "/stream-body"})
    void aResetWhileTheHandlerReadsTheBodyLogsNoError(String path) throws Exception {
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                OutputStream out = s.getOutputStream();
                out.write((crlf("POST " + path + " HTTP/1.1", "Host: a", "Content-Length: 100000", "")
                        + "x".repeat(5000)).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(20); // the handler is reading now
                s.setSoLinger(true, 0);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(errors).as("ERROR records for client resets").isEmpty();
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send(get("/boom")).read().status()).isEqualTo(500);
        }
        assertThat(errors).as("a real handler failure is still logged").hasSize(1);
    }
}
