package io.jhttpd.examples;

import io.jhttpd.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class NotesApiTest {

    private HttpServer server;
    private ExampleClient client;

    @BeforeEach
    void start() throws Exception {
        server = NotesApi.start(0);
        client = new ExampleClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        return client.send(client.request("/notes").header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body)));
    }

    @Test
    void createsListsReadsAndDeletesNotes() throws Exception {
        HttpResponse<String> created = post("text/plain; charset=utf-8", "buy milk");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/notes/1");
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(created.body()).isEqualTo("{\"id\":1,\"text\":\"buy milk\"}");
        post("text/plain", "call Bob");

        assertThat(client.get("/notes").body())
                .isEqualTo("[{\"id\":1,\"text\":\"buy milk\"},{\"id\":2,\"text\":\"call Bob\"}]");
        assertThat(client.get("/notes/2").body()).isEqualTo("{\"id\":2,\"text\":\"call Bob\"}");

        assertThat(client.send(client.request("/notes/1").DELETE()).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = client.get("/notes/1");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo("{\"error\":\"No note with that id\",\"status\":404}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersInJson() throws Exception {
        HttpResponse<String> created = post("text/plain", "say \"hi\"\\\nthen\tleave");
        assertThat(created.body()).isEqualTo("{\"id\":1,\"text\":\"say \\\"hi\\\"\\\\\\nthen\\u0009leave\"}");
    }

    @Test
    void theFilterRefusesABodyThatIsNotPlainTextWith415() throws Exception {
        HttpResponse<String> refused = post("application/json", "{\"text\":\"buy milk\"}");
        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(refused.headers().firstValue("Accept-Post")).hasValue("text/plain");
        assertThat(refused.body()).isEqualTo("{\"error\":\"Send the note as text/plain\",\"status\":415}");
        assertThat(client.get("/notes").body()).as("nothing stored").isEqualTo("[]");
    }

    @Test
    void routerErrorsAreJsonToo() throws Exception {
        HttpResponse<String> wrongMethod = client.send(client.request("/notes/1").PUT(BodyPublishers.ofString("x")));
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, HEAD, DELETE, OPTIONS");
        assertThat(wrongMethod.body()).isEqualTo("{\"error\":\"Method not allowed\",\"status\":405}");

        assertThat(client.get("/notes/abc").statusCode()).isEqualTo(404);
        assertThat(post("text/plain", "  ").body()).isEqualTo("{\"error\":\"A note needs some text\",\"status\":400}");
    }
}
