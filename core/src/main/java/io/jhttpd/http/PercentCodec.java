package io.jhttpd.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of request-target parts (RFC 3986 §2.1) into UTF-8 text.
 *
 * <p>A malformed escape ({@code %zz}, a lone {@code %}) or bytes that are not valid UTF-8 (overlong
 * forms included) are the client's error: {@link HttpException} 400. Nothing is decoded twice.
 */
public final class PercentCodec {

    private PercentCodec() {
    }

    /** Decodes a path segment; {@code +} stays a plus. */
    public static String decodePath(String raw) {
        return decode(raw, false);
    }

    /** Decodes a query name or value; {@code +} means a space (HTML form encoding). */
    public static String decodeQuery(String raw) {
        return decode(raw, true);
    }

    private static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        boolean ascii = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw malformed();
                }
                int hi = hexValue(raw.charAt(i + 1));
                int lo = hexValue(raw.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw malformed();
                }
                bytes[n] = (byte) (hi << 4 | lo);
                ascii &= bytes[n++] >= 0;
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                throw malformed();
            }
        }
        if (ascii) {
            return new String(bytes, 0, n, StandardCharsets.US_ASCII); // valid UTF-8 as it is
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new HttpException(Status.BAD_REQUEST_400, "Percent-encoded bytes are not valid UTF-8");
        }
    }

    /** HEXDIG, RFC 5234 B.1 (either case), or -1. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static HttpException malformed() {
        return new HttpException(Status.BAD_REQUEST_400, "Malformed percent-encoding");
    }
}
