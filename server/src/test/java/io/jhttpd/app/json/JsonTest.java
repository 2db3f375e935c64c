package io.jhttpd.app.json;

import io.jhttpd.http.HttpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapper's guards, without a socket: every hostile input is a 400 with a fixed message. */
class JsonTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assert400(byte[] body, String message) {
        assertThatThrownBy(() -> Json.parse(body)).isInstanceOfSatisfying(HttpException.class, e -> {
            assertThat(e.status().code()).isEqualTo(400);
            assertThat(e.publicMessage()).isEqualTo(message);
        });
    }

    @Test
    void nestingOneLevelPastTheLimitIs400AndAtTheLimitParses() {
        int depth = Json.MAX_NESTING_DEPTH;
        assertThat(Json.parse(utf8("[".repeat(depth) + "]".repeat(depth)))).isNotNull();
        assert400(utf8("[".repeat(depth + 1) + "]".repeat(depth + 1)), "JSON exceeds a size or nesting limit");
    }

    @Test
    void aMillionOpenBracketsIs400NotAStackOverflow() {
        assert400(utf8("[".repeat(1_000_000)), "JSON exceeds a size or nesting limit");
    }

    @Test
    void numbersLongerThanTheLimitAre400() {
        assertThat(Json.parse(utf8("[" + "1".repeat(Json.MAX_NUMBER_LENGTH) + "]"))).isNotNull();
        assert400(utf8("[" + "1".repeat(Json.MAX_NUMBER_LENGTH + 1) + "]"), "JSON exceeds a size or nesting limit");
    }

    /** Plain ASCII and other text take different paths into the parser; both refuse the same things. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"b\":{\"c\":1,\"c\":2}}", "{\"é\":1,\"é\":2}", "[{\"x\":[{\"y\":1,\"y\":1}]}]",
            "{\"a\":\"ü\",\"a\":null}"})
    void duplicateKeysAre400(String json) {
        assert400(utf8(json), "JSON has a duplicate key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " \t\r\n ", "\u2003", " \u2003\n"})
    void blankBodiesAre400(String body) {
        assert400(utf8(body), "Request body is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}", " {\"a\":1}\n", "{\"a\":\"é\"}", "\r\n\t{\"a\":1} "})
    void objectsParseWhateverTheirText(String json) {
        assertThat(Json.parse(utf8(json)).isObject()).isTrue();
    }

    /** Every ASCII character, alone and in company, and text beyond ASCII: the mapper's own bytes. */
    @Test
    void objectOfStringWritesWhatTheMapperWrites() throws Exception {
        List<String> values = new ArrayList<>(List.of("", "hello world", "\"quoted\" \\ back", "tab\there\r\n",
                "café €", "</script>", "\u2028\u2029", "\u007f\u0080\u00ff"));
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            values.add(String.valueOf(c));
            all.append(c);
        }
        values.add(all.toString());
        for (String value : values) {
            byte[] expected = Json.mapper().writeValueAsBytes(Json.object().put("message", value));
            assertThat(new String(Json.objectOfString("message", value), StandardCharsets.UTF_8))
                    .as("value %s", value.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        }
    }

    /** Beyond U+FFFF: four UTF-8 bytes, as the mapper writes them; the same string when read. */
    @Test
    void objectOfStringWritesSupplementaryCharactersAsUtf8() {
        String value = "😀 emoji 𝄞";
        byte[] json = Json.objectOfString("message", value);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"" + value + "\"}");
        assertThat(Json.parse(json).get("message").asText()).isEqualTo(value);
    }

    /** The mapper too: a stored item gives back an emoji as the four bytes it came as. */
    @Test
    void theMapperWritesSupplementaryCharactersAsUtf8() throws Exception {
        String value = "日本😀 𝄞";
        byte[] json = Json.mapper().writeValueAsBytes(Json.object().put("s", value));
        assertThat(json).isEqualTo(("{\"s\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** A lone surrogate (legal in a JSON escape) stays an escape, and the character after it stays. */
    @Test
    void theMapperKeepsLoneSurrogatesAndWhatFollowsThem() throws Exception {
        for (String json : new String[] {"{\"a\":\"\\uD800x\"}", "{\"a\":\"x\\uDC00y\"}", "{\"a\":\"\\uD800\"}"}) {
            byte[] written = Json.mapper().writeValueAsBytes(Json.parse(json.getBytes(StandardCharsets.UTF_8)));
            assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(json);
        }
    }

    @Test
    void aNulByteIsMalformedWhereverItIs() {
        assert400(new byte[] {'{', 0, '}'}, "Malformed JSON");
        assert400(new byte[] {'{', '"', 'a', '"', ':', '"', 0, '"', '}'}, "Malformed JSON");
        assert400(new byte[] {'{', '}', 0}, "Malformed JSON");
        assert400(new byte[] {'{', '"', (byte) 0xC3, (byte) 0xA9, '"', ':', '1', '}', 0}, "Malformed JSON");
    }

    @Test
    void trailingContentIs400() {
        assert400(utf8("{} {}"), "Malformed JSON");
    }

    /** Overlong '/', an encoded surrogate, a truncated sequence, a stray continuation byte. */
    @ParameterizedTest
    @ValueSource(strings = {"c0af", "eda080", "e282", "80", "f4908080"})
    void invalidUtf8Is400(String hex) {
        byte[] inner = java.util.HexFormat.of().parseHex(hex);
        byte[] body = new byte[inner.length + 4];
        body[0] = '[';
        body[1] = '"';
        System.arraycopy(inner, 0, body, 2, inner.length);
        body[inner.length + 2] = '"';
        body[inner.length + 3] = ']';
        assert400(body, "Request body is not valid UTF-8");
    }

    @Test
    void utf16IsNotGuessedFromZeroBytes() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1}".getBytes(StandardCharsets.UTF_16BE)))
                .isInstanceOf(HttpException.class);
    }

    @Test
    void decimalsKeepTheirDigits() {
        assertThat(new String(Json.bytes(Json.parse(utf8("{\"p\":1.50,\"q\":0.1,\"big\":12345678901234567890}"))),
                StandardCharsets.UTF_8)).isEqualTo("{\"p\":1.50,\"q\":0.1,\"big\":12345678901234567890}");
    }

    @Test
    void theErrorMessageNeverQuotesTheInput() {
        assertThatThrownBy(() -> Json.parse(utf8("{\"<script>\":")))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.publicMessage()).doesNotContain("script"));
    }
}
