package bench.peers.common;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Tiny helpers for the /echo endpoint: query lookup with percent-decoding and a JSON string escaper. */
public final class Json {
    private Json() {}

    /** {@code {"message":"<escaped msg>"}} as UTF-8 bytes. */
    public static byte[] message(String msg) {
        StringBuilder sb = new StringBuilder(msg.length() + 16).append("{\"message\":\"");
        for (int i = 0; i < msg.length(); i++) {
            char c = msg.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Percent-decoded value of {@code name} in a raw query string, or "" when absent. */
    public static String queryParam(String rawQuery, String name) {
        if (rawQuery == null) return "";
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}
