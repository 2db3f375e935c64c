package io.jhttpd.examples;

import io.jhttpd.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class HelloWorldTest {

    private static HttpServer server;
    private static ExampleClient client;

    @BeforeAll
    static void start() throws Exception {
        server = HelloWorld.start(0);
        client = new ExampleClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersHelloWorldAtTheRoot() throws Exception {
        HttpResponse<String> response = client.get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo("Hello, World!");
    }

    @Test
    void greetsTheDecodedNameFromThePath() throws Exception {
        assertThat(client.get("/hello/Ada").body()).isEqualTo("Hello, Ada!");
        assertThat(client.get("/hello/Jos%C3%A9").body()).isEqualTo("Hello, José!");
    }

    @Test
    void answers404ForAPathWithNoRoute() throws Exception {
        assertThat(client.get("/nowhere").statusCode()).isEqualTo(404);
    }
}
