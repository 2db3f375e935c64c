package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.ServerConfig;
import io.jhttpd.http.Response;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A careless handler that copies request text into a response header still cannot split the response
 * (RFC 9112 §11.1): the value is refused, the client gets a 500 with only the server's own fields, and
 * the connection stays in step for the next request.
 */
class HeaderInjectionWireTest {

    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        Router router = new Router()
                .get("/reflect", r -> Response.ok().header("X-Reflected", r.queryParam("v")).text("reflected"))
                .get("/reflect-agent", r -> Response.ok().header("X-Agent", r.header("User-Agent")).text("agent"))
                .get("/", r -> Response.ok().text("root"));
        server = HttpServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withLimits(Limits.defaults()).withShutdownGrace(Duration.ofSeconds(2)), router);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Percent-decoded by the handler's queryParam, so the handler sees real CR, LF and friends. */
    @ParameterizedTest
    @ValueSource(strings = {
            "a%0d%0aSet-Cookie:%20owned=1",
            "a%0aSet-Cookie:%20owned=1",
            "a%0dSet-Cookie:%20owned=1",
            "a%0d%0a%0d%0aHTTP/1.1%20200%20OK%0d%0aSet-Cookie:%20owned=1",
            "a%00Set-Cookie:%20owned=1",
            "a%C4%8D%C4%8ASet-Cookie:%20owned=1",     // U+010D U+010A (CR LF in their low bytes)
            "a%E5%98%8D%E5%98%8ASet-Cookie:%20owned=1"})  // U+560D U+560A
    void aReflectedQueryNeverBecomesAHeader(String value) throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(get("/reflect?v=" + value)).read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("Set-Cookie")).isNull();
            assertThat(r.header("X-Reflected")).isNull();
            assertThat(r.head()).doesNotContain("owned");
            assertThat(c.send(get("/")).read().bodyText()).as("the next response is ours").isEqualTo("root");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "obs-text \u00e9\u00ff", "tab\tinside"})
    void aReflectedUserAgentIsCopiedOnlyAsOneFieldLine(String agent) throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(crlf("GET /reflect-agent HTTP/1.1", "Host: a", "User-Agent: " + agent, "")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Agent")).isEqualTo(agent.strip());
            assertThat(r.head().split("\r\n")).filteredOn(line -> line.startsWith("X-Agent")).hasSize(1);
        }
    }
}
