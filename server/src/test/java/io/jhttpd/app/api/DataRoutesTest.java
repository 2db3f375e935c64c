package io.jhttpd.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.app.testing.TestApp;
import io.jhttpd.app.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST, GET, PUT and DELETE on /data, and every refusal, end to end, once per store: the HTTP
 * behaviour must not depend on where the items live.
 */
@ParameterizedClass(name = "--store {0}")
@ValueSource(strings = {"memory", "sqlite", "postgresql"})
class DataRoutesTest {

    /** Which store this run uses; the lifecycle methods below receive it too. */
    @Parameter
    String store;

    static Path temp;
    static TestApp app;
    static TestPostgres.Schema schema;

    @BeforeParameterizedClassInvocation
    static void start(String store) throws Exception {
        temp = Files.createTempDirectory("jhttpd-data-" + store);
        String storeArg = switch (store) {
            case "memory" -> "memory";
            case "sqlite" -> "sqlite:" + temp.resolve("data.db");
            case "postgresql" -> (schema = TestPostgres.freshSchema()).storeUrl();
            default -> throw new IllegalArgumentException(store);
        };
        app = TestApp.start(temp, "--quiet", "--store", storeArg);
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
        if (schema != null) {
            schema.close();
            schema = null;
        }
        if (temp == null) {
            return;
        }
        try (var files = Files.walk(temp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static long create(String json) throws Exception {
        HttpResponse<String> r = app.sendJson("POST", "/data", json);
        assertThat(r.statusCode()).isEqualTo(201);
        return Json.mapper().readTree(r.body()).get("id").asLong();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    private static void assertJsonError(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(r);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isNotBlank();
    }

    @Test
    void numbersKeepTheirDigitsInBigDecimalsForm() throws Exception {
        HttpResponse<String> r = app.sendJson("POST", "/data",
                "{\"a\":1.50,\"b\":-7,\"c\":1e2,\"d\":-0,\"e\":12345678901234567890123,\"f\":2.5E-3}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).endsWith(",\"a\":1.50,\"b\":-7,\"c\":1E+2,\"d\":0,\"e\":12345678901234567890123,\"f\":0.0025}");
    }

    @Test
    void postStoresTheObjectAndAnswers201WithLocationAndId() throws Exception {
        HttpResponse<String> r = app.sendJson("POST", "/data", "{\"name\":\"apple\",\"price\":1.50}");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode item = json(r);
        long id = item.get("id").asLong();
        assertThat(id).isPositive();
        assertThat(item.get("name").asText()).isEqualTo("apple");
        assertThat(r.body()).contains("\"price\":1.50");
        assertThat(r.headers().firstValue("Location")).hasValue("/data/" + id);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(app.get("/data/" + id).body()).isEqualTo(r.body());
    }

    @Test
    void postReplacesAnIdSentByTheClient() throws Exception {
        HttpResponse<String> r = app.sendJson("POST", "/data", "{\"id\":999999,\"x\":1}");
        assertThat(json(r).get("id").asLong()).isNotEqualTo(999999);
    }

    @Test
    void getDataListsEveryItemInIdOrder() throws Exception {
        long a = create("{\"n\":\"a\"}");
        long b = create("{\"n\":\"b\"}");
        long c = create("{\"n\":\"c\"}");
        HttpResponse<String> r = app.get("/data");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        List<Long> ids = new ArrayList<>();
        json(r).forEach(item -> ids.add(item.get("id").asLong()));
        assertThat(ids).isSorted().contains(a, b, c);
    }

    @Test
    void idsAreStableAndNeverReusedAfterADelete() throws Exception {
        long a = create("{\"n\":1}");
        long b = create("{\"n\":2}");
        assertThat(app.send(app.request("/data/" + b).DELETE().build()).statusCode()).isEqualTo(200);
        long c = create("{\"n\":3}");
        assertThat(c).isGreaterThan(b);
        assertThat(json(app.get("/data/" + a)).get("n").asInt()).isEqualTo(1);
    }

    @Test
    void getAnAbsentItemIs404Json() throws Exception {
        assertJsonError(app.get("/data/987654321"), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "0", "000", "1.5", "%2B1", "1e3", "99999999999999999999", "%EF%BC%91"})
    void anIdThatIsNotAPositiveNumberIs400(String id) throws Exception {
        assertJsonError(app.get("/data/" + id), 400);
        assertJsonError(app.sendJson("PUT", "/data/" + id, "{}"), 400);
        assertJsonError(app.send(app.request("/data/" + id).DELETE().build()), 400);
    }

    @Test
    void putReplacesTheItemKeepingItsId() throws Exception {
        long id = create("{\"name\":\"old\",\"gone\":true}");
        HttpResponse<String> r = app.sendJson("PUT", "/data/" + id, "{\"name\":\"new\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"id\":" + id + ",\"name\":\"new\"}");
        assertThat(app.get("/data/" + id).body()).isEqualTo(r.body());
    }

    @Test
    void putAcceptsTheSameIdInTheBodyAndRefusesAnother() throws Exception {
        long id = create("{}");
        assertThat(app.sendJson("PUT", "/data/" + id, "{\"id\":" + id + ",\"v\":2}").statusCode()).isEqualTo(200);
        assertJsonError(app.sendJson("PUT", "/data/" + id, "{\"id\":" + (id + 1) + "}"), 400);
        assertJsonError(app.sendJson("PUT", "/data/" + id, "{\"id\":\"" + id + "\"}"), 400);
    }

    @Test
    void putOnAnAbsentItemIs404AndCreatesNothing() throws Exception {
        assertJsonError(app.sendJson("PUT", "/data/55555555", "{\"a\":1}"), 404);
        assertThat(app.get("/data/55555555").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> conditional(String method, long id, String field, String value, String json)
            throws Exception {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest.Builder request = app.request("/data/" + id).method(method, body).header(field, value);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return app.send(request.build());
    }

    @Test
    void anItemCarriesAStrongETagThatChangesWithItsContent() throws Exception {
        long id = create("{\"v\":1}");
        String first = app.get("/data/" + id).headers().firstValue("ETag").orElseThrow();
        assertThat(first).matches("\"[0-9a-f]+\"");
        assertThat(app.get("/data/" + id).headers().firstValue("ETag")).contains(first);
        HttpResponse<String> put = app.sendJson("PUT", "/data/" + id, "{\"v\":2}");
        String second = put.headers().firstValue("ETag").orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(app.get("/data/" + id).headers().firstValue("ETag")).contains(second);
    }

    @Test
    void ifNoneMatchWithTheCurrentTagIs304WithoutABody() throws Exception {
        long id = create("{\"v\":1}");
        String etag = app.get("/data/" + id).headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> r = conditional("GET", id, "If-None-Match", etag, null);
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("ETag")).contains(etag);
        assertThat(conditional("GET", id, "If-None-Match", "\"other\"", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aPutWithAnOutdatedIfMatchIs412AndChangesNothing() throws Exception {
        long id = create("{\"v\":1}");
        String etag = app.get("/data/" + id).headers().firstValue("ETag").orElseThrow();
        assertThat(conditional("PUT", id, "If-Match", etag, "{\"v\":2}").statusCode()).isEqualTo(200);
        HttpResponse<String> late = conditional("PUT", id, "If-Match", etag, "{\"v\":3}");
        assertJsonError(late, 412);
        assertThat(app.get("/data/" + id).body()).isEqualTo("{\"id\":" + id + ",\"v\":2}");
        assertThat(conditional("PUT", id, "If-Match", "*", "{\"v\":4}").statusCode()).isEqualTo(200);
    }

    @Test
    void aPutOrDeleteWithIfNoneMatchStarOnAnExistingItemIs412() throws Exception {
        long id = create("{\"v\":1}");
        assertJsonError(conditional("PUT", id, "If-None-Match", "*", "{\"v\":2}"), 412);
        assertJsonError(conditional("DELETE", id, "If-None-Match", "*", null), 412);
        assertThat(app.get("/data/" + id).body()).isEqualTo("{\"id\":" + id + ",\"v\":1}");
    }

    @Test
    void aDeleteWithAnOutdatedIfMatchIs412AndWithTheCurrentOneDeletes() throws Exception {
        long id = create("{\"v\":1}");
        String etag = app.get("/data/" + id).headers().firstValue("ETag").orElseThrow();
        assertJsonError(conditional("DELETE", id, "If-Match", "\"nope\"", null), 412);
        assertThat(app.get("/data/" + id).statusCode()).isEqualTo(200);
        assertThat(conditional("DELETE", id, "If-Match", etag, null).statusCode()).isEqualTo(200);
        assertThat(app.get("/data/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aClientThatReadTheGzippedItemCanRevalidateAndChangeItWithTheTagItRead() throws Exception {
        long id = create("{\"text\":\"" + "lorem ipsum ".repeat(40) + "\"}"); // over gzip's 256 bytes
        HttpResponse<String> read = app.send(app.request("/data/" + id).header("Accept-Encoding", "gzip").build());
        assertThat(read.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String etag = read.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).as("strong, the gzip variant's own").startsWith("\"").endsWith("-gzip\"");
        HttpResponse<String> revalidated = app.send(app.request("/data/" + id).header("Accept-Encoding", "gzip")
                .header("If-None-Match", etag).build());
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.headers().firstValue("ETag")).hasValue(etag);
        HttpResponse<String> put = app.send(app.request("/data/" + id).header("Accept-Encoding", "gzip")
                .header("Content-Type", "application/json").header("If-Match", etag)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"v\":2}")).build());
        assertThat(put.statusCode()).as("If-Match compares strongly: the tag must be strong").isEqualTo(200);
        assertJsonError(conditional("PUT", id, "If-Match", etag, "{\"v\":3}"), 412);
    }

    @Test
    void theTagOfAGzippedReadMakesAChangeConditionalWithoutAcceptEncodingToo() throws Exception {
        long id = create("{\"text\":\"" + "lorem ipsum ".repeat(40) + "\"}");
        String gzipTag = app.send(app.request("/data/" + id).header("Accept-Encoding", "gzip").build())
                .headers().firstValue("ETag").orElseThrow();
        assertThat(gzipTag).endsWith("-gzip\"");
        assertThat(conditional("PUT", id, "If-Match", gzipTag, "{\"v\":2}").statusCode())
                .as("the tag names the item's state, whichever encoding it was read in").isEqualTo(200);
        assertJsonError(conditional("DELETE", id, "If-Match", gzipTag, null), 412);
    }

    @Test
    void notFoundWinsOverAPrecondition() throws Exception {
        assertJsonError(conditional("PUT", 55555556, "If-Match", "*", "{\"v\":1}"), 404);
        assertJsonError(conditional("DELETE", 55555556, "If-Match", "*", null), 404);
    }

    @Test
    void theCollectionExistsWithoutAnETag() throws Exception {
        HttpResponse<String> post = app.send(app.request("/data").header("Content-Type", "application/json")
                .header("If-None-Match", "*").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertJsonError(post, 412);
        HttpResponse<String> withTag = app.send(app.request("/data").header("Content-Type", "application/json")
                .header("If-Match", "\"x\"").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertJsonError(withTag, 412);
        HttpResponse<String> any = app.send(app.request("/data").header("Content-Type", "application/json")
                .header("If-Match", "*").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(any.statusCode()).isEqualTo(201);
        assertThat(any.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void ofClientsThatAllPutWithTheTagTheyReadExactlyOneWins() throws Exception {
        long id = create("{\"v\":0}");
        String etag = app.get("/data/" + id).headers().firstValue("ETag").orElseThrow();
        int clients = 8;
        List<Thread> threads = new ArrayList<>();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    statuses.add(conditional("PUT", id, "If-Match", etag, "{\"v\":" + (client + 1) + "}").statusCode());
                } catch (Exception e) {
                    statuses.add(-1);
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(statuses).hasSize(clients).containsOnly(200, 412);
        assertThat(statuses.stream().filter(status -> status == 200).count()).as("lost updates").isEqualTo(1);
    }

    @Test
    void deleteAnswersStatusDeletedThenTheItemIsGone() throws Exception {
        long id = create("{\"a\":1}");
        HttpResponse<String> r = app.send(app.request("/data/" + id).DELETE().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"deleted\"}");
        assertJsonError(app.get("/data/" + id), 404);
        assertJsonError(app.send(app.request("/data/" + id).DELETE().build()), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/jsonx", "application/x-www-form-urlencoded",
            "application/json; charset=iso-8859-1", "application/json; boundary=x", "json"})
    void aBodyThatIsNotApplicationJsonIs415WithAccept(String contentType) throws Exception {
        for (String method : List.of("POST", "PUT")) {
            long id = create("{}");
            String path = method.equals("POST") ? "/data" : "/data/" + id;
            HttpResponse<String> r = app.send(app.request(path).header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());
            assertJsonError(r, 415);
            assertThat(r.headers().firstValue("Accept")).hasValue("application/json");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "GZIP", "identity, gzip"})
    void aBodyWithAContentCodingIs415WithAnEmptyAcceptEncodingAndStoresNothing(String coding) throws Exception {
        for (String method : List.of("POST", "PUT")) {
            long id = create("{}");
            int before = app.send(app.request("/data").GET().build()).body().length();
            String path = method.equals("POST") ? "/data" : "/data/" + id;
            HttpResponse<String> r = app.send(app.request(path).header("Content-Type", "application/json")
                    .header("Content-Encoding", coding)
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());
            assertJsonError(r, 415);
            assertThat(r.headers().firstValue("Accept-Encoding")).as("RFC 9110 §15.5.16").hasValue("");
            assertThat(app.send(app.request("/data").GET().build()).body()).as("nothing stored or replaced")
                    .hasSize(before);
        }
    }

    @Test
    void aBodyMarkedIdentityIsNoCoding() throws Exception {
        HttpResponse<String> r = app.send(app.request("/data").header("Content-Type", "application/json")
                .header("Content-Encoding", "identity").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());
        assertThat(r.statusCode()).isEqualTo(201);
    }

    @Test
    void aBodyWithoutContentTypeIs415() throws Exception {
        assertJsonError(app.send(app.request("/data").POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 415);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "APPLICATION/JSON", "Application/Json; charset=UTF-8",
            "application/json;charset=\"utf-8\"", "application/json ; charset=utf-8"})
    void theMediaTypeIsComparedCaseInsensitivelyWithCharsetAllowed(String contentType) throws Exception {
        HttpResponse<String> r = app.send(app.request("/data").header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString("{\"ok\":true}")).build());
        assertThat(r.statusCode()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{a:1}", "{'a':1}", "[1,2]", "42", "\"text\"", "null", "", "   ",
            "{\"a\":1,\"a\":2}", "{\"a\":1} {\"b\":2}", "{\"a\":1}x", "{\"a\":NaN}", "{\"a\":01}"})
    void aBodyThatIsNotOneJsonObjectIs400(String body) throws Exception {
        assertJsonError(app.sendJson("POST", "/data", body), 400);
        long id = create("{}");
        assertJsonError(app.sendJson("PUT", "/data/" + id, body), 400);
    }

    @Test
    void deeplyNestedJsonIs400NotAStackOverflow() throws Exception {
        String deep = "{\"a\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        assertJsonError(app.sendJson("POST", "/data", deep), 400);
        assertThat(app.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void jsonNestedWithinTheLimitIsAccepted() throws Exception {
        String ok = "{\"a\":" + "[".repeat(900) + "]".repeat(900) + "}";
        assertThat(app.sendJson("POST", "/data", ok).statusCode()).isEqualTo(201);
    }

    @Test
    void aNumberLongerThanTheLimitIs400() throws Exception {
        assertJsonError(app.sendJson("POST", "/data", "{\"n\":" + "9".repeat(5000) + "}"), 400);
    }

    @Test
    void aHugeExponentIsStoredAsWrittenNotAsInfinity() throws Exception {
        HttpResponse<String> r = app.sendJson("POST", "/data", "{\"n\":1e999999999}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).get("n").isNumber()).isTrue();
        assertThat(r.body()).doesNotContain("Infinity");
    }

    @ParameterizedTest
    @ValueSource(strings = {"C3 28", "C0 AF", "ED A0 80", "FF", "E2 82"})
    void bodyBytesThatAreNotUtf8Are400(String hex) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"a\":\"".getBytes(StandardCharsets.US_ASCII));
        for (String b : hex.split(" ")) {
            body.write(Integer.parseInt(b, 16));
        }
        body.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = app.send(app.request("/data").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        assertJsonError(r, 400);
    }

    /**
     * Hostile JSON that a lenient server would choke on: each is a 400 (or, where the JSON is valid,
     * a 201), never a 500, and the server goes on answering. Strings are JSON text, sent as UTF-8.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\":\"\\ud800\"}",                 // lone high surrogate escape
            "{\"a\":\"\\udc00\\ud800\"}",        // surrogates in the wrong order
            "{\"\\ud800\":1}",                      // lone surrogate in a key
            "{\"a\":1e99999999999999999999}",       // exponent beyond an int
            "{\"a\":-1e-99999999999999999999}",
            "{\"a\":1.5e2147483648}",
            "{\"a\":\"\\u0000\"}",                 // NUL escaped
            "\ufeff{\"a\":1}",                       // byte order mark
            "{\"a\":1}\u0000",                       // NUL after the value
            "{\"a\":tru}",
            "{\"a\":\"unterminated}",
            "{\"a\":[1,2,]}",
            "{\"a\":1,}",
            "{\"a\":\"\\x41\"}",                   // not a JSON escape
            "{\"a\":\"tab\there\"}",                // raw control character in a string
            "{\"a\":Infinity}",
            "{\"a\":-0}",
            "{\"a\":0.0000000000000000000000000001}"})
    void hostileJsonIsA400OrStoredNeverA500(String json) throws Exception {
        for (String method : new String[] {"POST", "PUT"}) {
            String path = method.equals("POST") ? "/data" : "/data/" + create("{}");
            HttpResponse<String> r = app.sendJson(method, path, json);
            assertThat(r.statusCode()).as("%s %s", method, json).isIn(200, 201, 400);
            if (r.statusCode() != 400) {
                assertThat(app.get(r.statusCode() == 201 ? r.headers().firstValue("Location").orElseThrow() : path)
                        .statusCode()).as("reading back %s", json).isEqualTo(200);
            }
        }
        assertThat(app.get("/data").statusCode()).as("the whole list still serialises").isEqualTo(200);
    }

    @Test
    void deeplyNestedObjectsAre400() throws Exception {
        String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertJsonError(app.sendJson("POST", "/data", deep), 400);
    }

    @Test
    void aStringLongerThanTheLimitIs400AndOneJustUnderIsStored() throws Exception {
        String tooLong = "{\"s\":\"" + "x".repeat(Json.MAX_STRING_LENGTH + 1) + "\"}";
        HttpResponse<String> r = app.sendJson("POST", "/data", tooLong);
        assertThat(r.statusCode()).isIn(400, 413);
        String large = "{\"s\":\"" + "x".repeat(1_000_000) + "\"}";
        assertThat(app.sendJson("POST", "/data", large).statusCode()).isEqualTo(201);
    }

    @Test
    void aKeyLongerThanTheLimitIs400() throws Exception {
        assertJsonError(app.sendJson("POST", "/data", "{\"" + "k".repeat(Json.MAX_NAME_LENGTH + 1) + "\":1}"), 400);
    }

    @Test
    void manyDuplicateKeysAre400() throws Exception {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 10_000; i++) {
            json.append("\"k").append(i % 5_000).append("\":").append(i).append(',');
        }
        json.setLength(json.length() - 1);
        assertJsonError(app.sendJson("POST", "/data", json.append('}').toString()), 400);
    }

    @Test
    void utf8TextIsStoredAndReturnedIntact() throws Exception {
        HttpResponse<String> r = app.sendJson("POST", "/data", "{\"name\":\"caf\u00e9 \u65e5\u672c \ud83d\ude00\"}");
        assertThat(json(app.get("/data/" + json(r).get("id").asLong())).get("name").asText())
                .isEqualTo("caf\u00e9 \u65e5\u672c \ud83d\ude00");
    }

    /** RFC 9110 §15.5.6: a known path with the wrong method is 405 and lists what it allows. */
    @Test
    void aWrongMethodOnAKnownPathIs405WithAllow() throws Exception {
        HttpResponse<String> r = app.send(app.request("/data").DELETE().build());
        assertJsonError(r, 405);
        assertThat(r.headers().firstValue("Allow").orElseThrow()).contains("GET", "HEAD", "POST");
        HttpResponse<String> one = app.sendJson("POST", "/data/1", "{}");
        assertJsonError(one, 405);
        assertThat(one.headers().firstValue("Allow").orElseThrow()).contains("GET", "PUT", "DELETE");
    }

    @Test
    void anUnknownPathIs404Json() throws Exception {
        assertJsonError(app.get("/no/such/thing"), 404);
    }

    @Test
    void aRequestThatCannotBeParsedGetsAJsonErrorToo() throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(crlf("GET / HTTP/1.1", "Host: t", "Bad Header: x", "")).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(Json.mapper().readTree(r.body()).get("status").asInt()).isEqualTo(400);
        }
    }

    /** A singleton field twice (RFC 9110 §5.3): which line counts is in doubt, so neither does. */
    @Test
    void twoContentTypeLinesAre400WhicheverComesFirst() throws Exception {
        for (String[] types : new String[][] {{"application/json", "text/plain"}, {"text/plain", "application/json"},
                {"application/json", "application/json"}}) {
            String post = crlf("POST /data HTTP/1.1", "Host: t", "Content-Type: " + types[0],
                    "Content-Type: " + types[1], "Content-Length: 9", "") + "{\"k\":\"v\"}";
            try (RawClient c = app.raw()) {
                Reply r = c.send(post).read();
                assertThat(r.status()).as(String.join(" + ", types)).isEqualTo(400);
                assertThat(r.bodyText()).contains("Content-Type given more than once");
            }
        }
    }

    @Test
    void twoRequestsTravelOnOneConnection() throws Exception {
        String post = crlf("POST /data HTTP/1.1", "Host: t", "Content-Type: application/json",
                "Content-Length: 9", "") + "{\"k\":\"v\"}";
        try (RawClient c = app.raw()) {
            Reply created = c.send(post).read();
            assertThat(created.status()).isEqualTo(201);
            Reply read = c.send(get(created.header("Location"))).read();
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.bodyText()).isEqualTo(created.bodyText());
        }
    }
}
