package io.jhttpd.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhttpd.HttpServer;
import io.jhttpd.ServerConfig;
import io.jhttpd.app.json.Json;
import io.jhttpd.app.store.InMemoryDataStore;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /data on the wire: a listing up to 1 MiB goes whole with its length; a longer one is streamed,
 * so that a store near the heap's size is not copied into one more array to be listed.
 */
class DataRoutesListingTest {

    @Test
    void aSmallListingGoesWithItsLengthAndALongOneIsStreamedChunkedInIdOrder() throws Exception {
        InMemoryDataStore store = new InMemoryDataStore();
        String text = "x".repeat(400_000);
        List<Long> ids = new ArrayList<>();
        Router router = new DataRoutes(store).register(new Router());
        try (HttpServer server = HttpServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), router);
             RawClient client = new RawClient(server.port())) {
            for (int i = 0; i < 3; i++) {
                ids.add(store.create(Json.object().put("big", text).put("n", i)).id());
                Reply r = client.send(get("/data")).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
                boolean overOneMebibyte = r.body().length > 1 << 20;
                assertThat(overOneMebibyte).as("listing %d", i).isEqualTo(i == 2);
                if (overOneMebibyte) {
                    assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
                    assertThat(r.header("Content-Length")).isNull();
                } else {
                    assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
                }
                JsonNode listing = Json.mapper().readTree(r.body());
                List<Long> listed = new ArrayList<>();
                listing.forEach(item -> listed.add(item.get("id").asLong()));
                assertThat(listed).isEqualTo(ids);
                assertThat(new String(r.body(), StandardCharsets.UTF_8))
                        .endsWith("{\"id\":" + ids.get(i) + ",\"big\":\"" + text + "\",\"n\":" + i + "}]");
            }
        }
    }
}
