package io.jhttpd.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} field line (RFC 9110 §6.6.1) as bytes, rebuilt at most once a second and shared by
 * every connection. IMF-fixdate always has a two-digit day ({@code 06 Nov}), which Java's
 * {@code RFC_1123_DATE_TIME} does not write.
 */
final class DateHeader {

    static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Stamp(long epochSecond, byte[] line) {
    }

    private static volatile Stamp current = new Stamp(-1, new byte[0]);

    private DateHeader() {
    }

    /** {@code Date: <IMF-fixdate>\r\n} for the current second. */
    static byte[] line() {
        long now = System.currentTimeMillis() / 1000;
        Stamp stamp = current;
        if (stamp.epochSecond != now) {
            String text = "Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(now)) + "\r\n";
            stamp = new Stamp(now, text.getBytes(StandardCharsets.ISO_8859_1));
            current = stamp;
        }
        return stamp.line;
    }
}
