package io.jhttpd.app.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Status;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one {@link ObjectMapper} of the app, configured against hostile input, and the two things the
 * routes do with it: read a request body into a tree, and write a tree as UTF-8 bytes.
 *
 * <p>Every way a body can be bad is the client's error and becomes {@link HttpException} 400 with a
 * fixed message (never the parser's text, which quotes input): bytes that are not UTF-8, a syntax
 * error, trailing content after the value, a duplicate key, nesting deeper than
 * {@value #MAX_NESTING_DEPTH}, a string longer than {@value #MAX_STRING_LENGTH} characters, a number
 * longer than {@value #MAX_NUMBER_LENGTH} digits, or a number whose exponent no BigDecimal can hold.
 * Nothing here can throw a {@link StackOverflowError}:
 * the depth bound stops the parser long before recursion gets deep.
 *
 * <pre>{@code
 * JsonNode body = Json.parse(request.bodyBytes());          // 400 on anything malformed
 * return Response.ok().body(Json.bytes(item), Json.CONTENT_TYPE);
 * }</pre>
 */
public final class Json {

    public static final String CONTENT_TYPE = "application/json";
    public static final int MAX_NESTING_DEPTH = 1000;
    public static final int MAX_STRING_LENGTH = 5 * 1024 * 1024;
    public static final int MAX_NUMBER_LENGTH = 100;
    public static final int MAX_NAME_LENGTH = 50_000;

    private static final ObjectMapper MAPPER = build();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Json() {
    }

    private static ObjectMapper build() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build())
                // A character beyond the BMP (an emoji) goes out as its four UTF-8 bytes, as it came,
                // not as an escape of each of its surrogate halves.
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
        return JsonMapper.builder(factory)
                // Duplicate keys are refused as the tree is built (the old value comes back from the
                // node's put), which costs nothing; the parser's own detection keeps a set per object.
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                // {"a":1} garbage is not one JSON value.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Keep numbers as the client wrote them: 0.1 stays 0.1, and 1e999 does not become Infinity
                // (which is not JSON at all). Trailing zeros are the client's too.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
                .build();
    }

    /** The shared mapper: thread-safe, never reconfigured after start-up. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** An empty object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Parses one JSON value from UTF-8 bytes (RFC 8259 §8.1: JSON exchanged between systems is UTF-8).
     *
     * @throws HttpException 400 for an empty body, bytes that are not UTF-8, or any malformed or
     *                       over-limit JSON
     */
    public static JsonNode parse(byte[] utf8) {
        try {
            return switch (kindOf(utf8)) {
                case BLANK -> throw badRequest("Request body is empty");
                // No JSON text holds a NUL byte (RFC 8259 §2, §7), yet Jackson lets one pass after the value.
                case NUL -> throw badRequest("Malformed JSON");
                // Plain ASCII is valid UTF-8 as it is: Jackson's byte parser reads it without a copy.
                case ASCII -> MAPPER.readTree(utf8);
                case OTHER -> {
                    String text = decodeUtf8(utf8);
                    if (text.isBlank()) {
                        throw badRequest("Request body is empty");
                    }
                    yield MAPPER.readTree(text);
                }
            };
        } catch (StreamConstraintsException e) {
            throw badRequest("JSON exceeds a size or nesting limit");
        } catch (JsonProcessingException e) {
            throw badRequest(e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "JSON has a duplicate key" : "Malformed JSON");
        } catch (IOException e) {
            throw new IllegalStateException("reading from an array cannot fail", e);
        } catch (NumberFormatException e) {
            // Jackson throws this bare (not as a JsonProcessingException) for a number BigDecimal cannot
            // hold, such as an exponent beyond an int: 1e99999999999999999999. Without this, a 500.
            throw badRequest("JSON number out of range");
        }
    }

    /** The tree as compact UTF-8 JSON. */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // A tree we built ourselves always serialises; failing here is a bug, so 500.
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    private enum Kind { BLANK, ASCII, NUL, OTHER }

    /**
     * NUL if any byte is 0 (never part of JSON text; in the first bytes it would also make Jackson guess
     * UTF-16), OTHER for text beyond ASCII (to be checked by a strict decoder), else BLANK for
     * whitespace alone or ASCII.
     */
    private static Kind kindOf(byte[] bytes) {
        boolean blank = true;
        boolean ascii = true;
        for (byte b : bytes) {
            if (b == 0) {
                return Kind.NUL;
            }
            ascii &= b > 0;
            blank &= Character.isWhitespace(b);
        }
        return !ascii ? Kind.OTHER : blank ? Kind.BLANK : Kind.ASCII;
    }

    /**
     * {@code {"name":"value"}} as compact UTF-8, without building a tree or a generator: for responses
     * made of one string. Byte for byte what the mapper writes (a character beyond U+FFFF as its four
     * UTF-8 bytes, like the mapper since it combines surrogates). The text must not hold an unpaired
     * surrogate (percent-decoded text never does: {@code PercentCodec} refuses it).
     */
    public static byte[] objectOfString(String name, String value) {
        StringBuilder json = new StringBuilder(name.length() + value.length() + 16).append('{');
        appendString(json, name).append(':');
        return appendString(json, value).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string (RFC 8259 §7), escaped as Jackson escapes: quote, backslash and controls only. */
    private static StringBuilder appendString(StringBuilder json, String text) {
        json.append('"');
        int plain = 0;
        while (plain < text.length() && !needsEscape(text.charAt(plain))) {
            plain++;
        }
        json.append(text, 0, plain); // the usual case, the whole text: one copy
        for (int i = plain; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '"' || c == '\\';
    }

    /**
     * Strict decoding: Jackson's own UTF-8 reader lets some invalid sequences through (overlong forms,
     * encoded surrogates) and guesses UTF-16 from zero bytes, so the bytes are checked first.
     */
    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw badRequest("Request body is not valid UTF-8");
        }
    }

    private static HttpException badRequest(String message) {
        return new HttpException(Status.BAD_REQUEST_400, message);
    }
}
