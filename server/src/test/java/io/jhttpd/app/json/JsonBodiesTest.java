package io.jhttpd.app.json;

import io.jhttpd.http.HttpException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 9110 §8.3.1 media type matching for request bodies. */
class JsonBodiesTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON", "application/json;charset=utf-8",
            "application/json; CHARSET=\"UTF-8\"", "application/json;"})
    void acceptsApplicationJsonInAnyCaseWithAUtf8Charset(String type) {
        assertThatCode(() -> JsonBodies.requireJsonMediaType(type)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/json", "application/json-seq", "application/ld+json", "application/json; charset=utf-16",
            "application/json; q=1", "", " "})
    void refusesEverythingElseWith415(String type) {
        assertThatThrownBy(() -> JsonBodies.requireJsonMediaType(type))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.status().code()).isEqualTo(415);
                    org.assertj.core.api.Assertions.assertThat(e.headers().first("Accept")).isEqualTo("application/json");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; q=1", "application/json; foo=bar"})
    void namesTheParameterItDoesNotTake(String type) {
        assertThatThrownBy(() -> JsonBodies.requireJsonMediaType(type))
                .isInstanceOfSatisfying(HttpException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.publicMessage()).contains("no parameter but charset=utf-8"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-16", "application/json; charset=us-ascii", "application/json; charset"})
    void namesTheCharsetItDoesNotTake(String type) {
        assertThatThrownBy(() -> JsonBodies.requireJsonMediaType(type))
                .isInstanceOfSatisfying(HttpException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.publicMessage()).contains("Only charset=utf-8"));
    }
}
