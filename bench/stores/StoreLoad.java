import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.app.store.DataStore;
import io.jhttpd.app.store.InMemoryDataStore;
import io.jhttpd.app.store.SqliteDataStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The stores without HTTP: {@code THREADS} virtual threads call {@code DataStore.create} in a loop, as
 * the 64 connections of bench/stores/run do, and this prints creates/s and the process's CPU time per
 * create. It separates what a store costs from what the HTTP and JSON around it cost.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp server/target/jhttpd.jar bench/stores/StoreLoad.java \
 *     sqlite-group /var/tmp/load.db 64 10
 * </pre>
 * Modes: memory, sqlite-group, sqlite-single (one commit per write). Prints one line:
 * {@code mode creates/s cpu-us/create}.
 */
public class StoreLoad {

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path file = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        try (DataStore store = switch (mode) {
            case "memory" -> new InMemoryDataStore();
            case "sqlite-group" -> SqliteDataStore.open(file, true);
            case "sqlite-single" -> SqliteDataStore.open(file, false);
            default -> throw new IllegalArgumentException("mode: memory, sqlite-group or sqlite-single");
        }) {
            ObjectNode fields = (ObjectNode) Json.mapper().readTree("{\"name\":\"widget\",\"qty\":3,\"tags\":[\"a\",\"b\"]}");
            run(store, fields, threads, 5); // warm-up: the JIT, and the batches settling
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long creates = run(store, fields, threads, seconds);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double cpuUs = (os.getProcessCpuTime() - cpu0) / 1e3 / creates;
            System.out.printf("%s %.0f %.1f%n", mode, creates / elapsed, cpuUs);
        }
    }

    private static long run(DataStore store, ObjectNode fields, int threads, long seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        LongAdder creates = new LongAdder();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            all.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    store.create(fields);
                    creates.increment();
                }
            }));
        }
        for (Thread t : all) {
            t.join();
        }
        return creates.sum();
    }
}
