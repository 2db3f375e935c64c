package io.jhttpd.app.json;

import io.jhttpd.http.HttpException;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseBody;
import io.jhttpd.http.Status;
import org.junit.jupiter.api.Test;


import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonErrorsTest {

    private final JsonErrors errors = new JsonErrors("*");

    private static String body(Response r) {
        return new String(((ResponseBody.Bytes) r.body()).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void rendersTheStatusAndThePublicMessageAsJson() {
        Response r = errors.render(null, new HttpException(Status.NOT_FOUND_404, "No \"such\" thing"));
        assertThat(r.status()).isEqualTo(Status.NOT_FOUND_404);
        assertThat(r.headers().first("Content-Type")).isEqualTo("application/json");
        assertThat(body(r)).isEqualTo("{\"error\":\"No \\\"such\\\" thing\",\"status\":404}");
        assertThat(r.headers().first("Access-Control-Allow-Origin")).isEqualTo("*");
    }

    @Test
    void leavesTheOriginTheCorsFilterChoseAlone() {
        HttpException e = new HttpException(Status.BAD_REQUEST_400, "x").withHeader("Access-Control-Allow-Origin", "https://a");
        assertThat(errors.render(null, e).headers().first("Access-Control-Allow-Origin")).isNull();
    }
}
