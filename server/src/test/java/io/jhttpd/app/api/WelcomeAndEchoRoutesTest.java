package io.jhttpd.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.app.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /, /user-agent, /echo and /echo/{text}, end to end over a socket. */
class WelcomeAndEchoRoutesTest {

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
    void rootAnswersExactlyHelloWorldAsPlainText() throws Exception {
        HttpResponse<String> r = app.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Hello, World!");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void headOnRootSendsTheLengthButNoBodyAndKeepsTheConnection() throws Exception {
        try (RawClient c = app.raw()) {
            Reply head = c.send(crlf("HEAD / HTTP/1.1", "Host: t", "")).read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("13");
            assertThat(c.send(get("/")).read().bodyText()).isEqualTo("Hello, World!");
        }
    }

    @Test
    void userAgentIsAnsweredAsPlainText() throws Exception {
        HttpResponse<String> r = app.send(app.request("/user-agent").header("User-Agent", "curl/8.5.0 (test)").build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("curl/8.5.0 (test)");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void aUtf8UserAgentComesBackAsSentAndALatin1OneAsItsCharacters() throws Exception {
        try (RawClient c = app.raw()) {
            byte[] utf8 = "café/1.0 ✓".getBytes(StandardCharsets.UTF_8);
            Reply r = c.send(concat("GET /user-agent HTTP/1.1\r\nHost: t\r\nUser-Agent: ", utf8, "\r\n\r\n")).read();
            assertThat(r.body()).isEqualTo(utf8);
            byte[] latin1 = "café/1.0".getBytes(StandardCharsets.ISO_8859_1);
            r = c.send(concat("GET /user-agent HTTP/1.1\r\nHost: t\r\nUser-Agent: ", latin1, "\r\n\r\n")).read();
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("café/1.0");
        }
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] head = before.getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = after.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + middle.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }

    @Test
    void userAgentAbsentGivesAnEmptyBody() throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(get("/user-agent")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
        }
    }

    @Test
    void echoMsgAnswersJson() throws Exception {
        HttpResponse<String> r = app.get("/echo?msg=hello");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"message\":\"hello\"}");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void echoAcceptsMessageAsTheParameterName() throws Exception {
        assertThat(app.get("/echo?message=hi").body()).isEqualTo("{\"message\":\"hi\"}");
    }

    @Test
    void echoDecodesPercentEscapesAndPlusAsSpace() throws Exception {
        assertThat(message(app.get("/echo?msg=hello+big%20world%21%C3%A9"))).isEqualTo("hello big world!\u00e9");
    }

    @Test
    void echoPrefersMsgWhenBothAreGiven() throws Exception {
        assertThat(message(app.get("/echo?message=second&msg=first"))).isEqualTo("first");
    }

    @Test
    void echoEscapesQuotesAndControlCharactersInsideTheJson() throws Exception {
        HttpResponse<String> r = app.get("/echo?msg=%22%3C%2Fscript%3E%0D%0AX-Injected:%201");
        assertThat(message(r)).isEqualTo("\"</script>\r\nX-Injected: 1");
        assertThat(r.headers().firstValue("X-Injected")).isEmpty();
    }

    @Test
    void echoWithoutAParameterIs400Json() throws Exception {
        HttpResponse<String> r = app.get("/echo?other=1");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = Json.mapper().readTree(r.body());
        assertThat(error.get("status").asInt()).isEqualTo(400);
        assertThat(error.get("error").asText()).contains("msg");
    }

    @Test
    void echoWithAMalformedEscapeIs400() throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(get("/echo?msg=%zz")).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        }
    }

    @Test
    void echoPathAnswersTheDecodedTextAsPlainText() throws Exception {
        HttpResponse<String> r = app.get("/echo/hello%20world%2Fslash");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello world/slash");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    /** RFC 9112 §11.1: an encoded CR LF in echoed text stays in the body and cannot start a header. */
    @Test
    void encodedCrLfInEchoPathCannotInjectAHeader() throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(get("/echo/a%0d%0aSet-Cookie:%20owned=1%0d%0a%0d%0aHTTP%2F1.1%20200")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Set-Cookie")).isNull();
            assertThat(r.head()).doesNotContain("owned");
            assertThat(r.bodyText()).isEqualTo("a\r\nSet-Cookie: owned=1\r\n\r\nHTTP/1.1 200");
            // The connection is still in step: the next response is the one we ask for.
            assertThat(c.send(get("/")).read().bodyText()).isEqualTo("Hello, World!");
        }
    }

    /**
     * A User-Agent crafted to split the echo: line breaks inside a field value never reach a handler
     * (bare CR or LF is a 400 and a close), a CRLF only starts another request field, and whatever does
     * reach {@code /user-agent} goes out in the body. Either way the response head is the server's own.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "x\r\nSet-Cookie: owned=1",            // CRLF: just another request field
            "x\nSet-Cookie: owned=1",               // bare LF: 400
            "x\rSet-Cookie: owned=1",               // bare CR: 400
            "x\r\n Set-Cookie: owned=1",           // obs-fold: 400
            "x%0d%0aSet-Cookie: owned=1",           // percent signs are not decoded in a header
            "x\u0085Set-Cookie: owned=1",           // NEL as obs-text
            "x\u00c4\u008dSet-Cookie: owned=1"})    // UTF-8 bytes of U+010D
    void aUserAgentCannotInjectAHeaderOrSplitTheResponse(String agent) throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(crlf("GET /user-agent HTTP/1.1", "Host: t", "User-Agent: " + agent, "")).read();
            assertThat(r.head()).doesNotContain("owned").doesNotContainIgnoringCase("set-cookie");
            if (r.status() == 200) {
                assertThat(r.bodyText()).doesNotContain("\r", "\n");
                assertThat(c.send(get("/")).read().bodyText()).isEqualTo("Hello, World!");
            } else {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.readRest()).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"%0d%0aSet-Cookie:%20owned=1", "%0aSet-Cookie:%20owned=1%0a%0a",
            "%E5%98%8D%E5%98%8ASet-Cookie:owned", "%00Set-Cookie:%20owned=1"})
    void anEchoedQueryStaysInsideTheJsonBody(String msg) throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(get("/echo?msg=" + msg)).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.head()).doesNotContain("owned");
            assertThat(r.header("Set-Cookie")).isNull();
            assertThat(Json.mapper().readTree(r.body()).get("message").asText()).contains("Set-Cookie");
            assertThat(c.send(get("/")).read().bodyText()).isEqualTo("Hello, World!");
        }
    }

    private static String message(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.mapper().readTree(r.body()).get("message").asText();
    }
}
