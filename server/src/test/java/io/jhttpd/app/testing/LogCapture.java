package io.jhttpd.app.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the core logs through {@code System.Logger} (backed by java.util.logging here), as
 * "message | thrown class: thrown message" lines.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private static final Logger JHTTPD = Logger.getLogger("io.jhttpd");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public LogCapture() {
        JHTTPD.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        Throwable t = record.getThrown();
        lines.add(String.valueOf(record.getMessage()) + (t == null ? "" : " | " + t));
    }

    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        JHTTPD.removeHandler(this);
    }
}
