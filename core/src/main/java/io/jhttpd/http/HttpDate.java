package io.jhttpd.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * HTTP-date (RFC 9110 §5.6.7) in whole seconds since the epoch. We send IMF-fixdate only; we accept
 * IMF-fixdate and, as recipients MUST, the obsolete RFC 850 and asctime forms. Java's
 * {@code RFC_1123_DATE_TIME} is not used: it writes {@code 6 Nov} where IMF-fixdate needs {@code 06 Nov}.
 *
 * <pre>{@code
 * response.header("Last-Modified", HttpDate.format(modified.getEpochSecond()));
 * long since = HttpDate.parse(request.header("If-Modified-Since")); // HttpDate.INVALID if not a date
 * }</pre>
 */
public final class HttpDate {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT}; a two-digit year is read within 50 years of now. */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, ZonedDateTime.now(ZoneOffset.UTC).getYear() - 49)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US).withZone(ZoneOffset.UTC);
    /** asctime: {@code Sun Nov  6 08:49:37 1994}. */
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter[] ACCEPTED = {IMF_FIXDATE, RFC_850, ASCTIME};

    /** Returned by {@link #parse} for anything that is not an HTTP-date. */
    public static final long INVALID = Long.MIN_VALUE;

    private HttpDate() {
    }

    /** The IMF-fixdate of a time in whole seconds since the epoch: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /** Now, in whole seconds since the epoch: the second a {@code Date} field written now carries. */
    public static long nowSecond() {
        return Math.floorDiv(System.currentTimeMillis(), 1000);
    }

    /** Seconds since the epoch, or {@link #INVALID}. */
    public static long parse(String text) {
        if (text == null) {
            return INVALID;
        }
        for (DateTimeFormatter format : ACCEPTED) {
            try {
                return Instant.from(format.parse(text)).getEpochSecond();
            } catch (DateTimeException e) {
                // try the next form
            }
        }
        return INVALID;
    }
}
