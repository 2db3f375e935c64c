package io.jhttpd.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes and what goes to stdout and stderr, for every way Main ends without serving. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return run(Map.of(), args);
    }

    private int run(Map<String, String> environment, String... args) throws InterruptedException {
        return Main.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndExits0() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out()).isEqualTo(Options.USAGE).contains("--port", "--directory", "--static", "--max-body",
                "--cors-origin", "--quiet", "--host", "--version");
        assertThat(err()).isEmpty();
    }

    @Test
    void versionPrintsOneLineAndExits0() throws Exception {
        assertThat(run("--version")).isZero();
        assertThat(out()).matches("jhttpd \\S+\\n");
    }

    @Test
    void aBadFlagPrintsWhatIsWrongAndTheUsageOnStderrAndExits2() throws Exception {
        assertThat(run("--port", "seventy")).isEqualTo(2);
        assertThat(err()).startsWith("jhttpd: --port must be a number from 0 to 65535, not 'seventy'\n")
                .endsWith(Options.USAGE);
        assertThat(out()).isEmpty();
    }

    @Test
    void anUnknownFlagExits2() throws Exception {
        assertThat(run("--verbose")).isEqualTo(2);
        assertThat(err()).startsWith("jhttpd: unknown option --verbose");
    }

    @Test
    void aPortInUsePrintsOneLineAndExits1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThat(run("--host", "127.0.0.1", "--port", Integer.toString(port), "--quiet")).isEqualTo(1);
            assertThat(err()).isEqualTo("jhttpd: cannot listen on 127.0.0.1:" + port + ": address already in use\n");
            assertThat(out()).isEmpty();
        }
    }

    @Test
    void anUnknownHostPrintsOneLineAndExits1() throws Exception {
        assertThat(run("--host", "no-such-host.invalid", "--port", "0")).isEqualTo(1);
        assertThat(err()).startsWith("jhttpd: cannot listen on no-such-host.invalid:0: ").doesNotContain("\tat ");
        assertThat(err().lines().count()).isEqualTo(1);
    }

    @Test
    void anUnknownAdminHostIsNamedAsTheAdminPorts() throws Exception {
        assertThat(run("--host", "127.0.0.1", "--port", "0", "--quiet", "--admin-port", "0",
                "--admin-host", "no-such-host.invalid")).isEqualTo(1);
        assertThat(err()).isEqualTo("jhttpd: cannot listen on admin port no-such-host.invalid:0: unknown host\n");
    }

    @Test
    void aStoreThatCannotBeReachedPrintsOneLineAndExits1() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        String store = "postgresql://127.0.0.1:" + closedPort + "/none?user=u&password=secret";
        assertThat(run("--host", "127.0.0.1", "--port", "0", "--quiet", "--store", store)).isEqualTo(1);
        assertThat(err()).startsWith("jhttpd: cannot open the store postgresql://127.0.0.1:" + closedPort + "/none: ")
                .doesNotContain("secret").doesNotContain("\tat ");
        assertThat(err().lines().count()).isEqualTo(1);
        assertThat(out()).isEmpty();
    }

    @Test
    void printConfigShowsEachSettingAndWhereItCameFromThenExits0() throws Exception {
        assertThat(run(Map.of("JHTTPD_MAX_BODY", "1MB", "JHTTPD_TYPO", "x"), "--print-config", "--port", "9000"))
                .isZero();
        assertThat(out()).containsPattern("\nport += 9000 +# flag\n")
                .containsPattern("\nmax-body += 1MB +# env JHTTPD_MAX_BODY\n")
                .containsPattern("\nhost += 0\\.0\\.0\\.0 +# default\n");
        assertThat(err()).isEqualTo("jhttpd: ignoring environment variable JHTTPD_TYPO: no such setting\n");
    }

    @Test
    void aBadEnvironmentVariableExits2NamingIt() throws Exception {
        assertThat(run(Map.of("JHTTPD_PORT", "http"))).isEqualTo(2);
        assertThat(err()).startsWith("jhttpd: JHTTPD_PORT must be a number from 0 to 65535, not 'http'\n");
        assertThat(out()).isEmpty();
    }
}
