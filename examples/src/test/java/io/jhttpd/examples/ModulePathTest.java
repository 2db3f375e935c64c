package io.jhttpd.examples;

import io.jhttpd.HttpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples run as a named module reading core as a named module: core's descriptor is in force. */
class ModulePathTest {

    private static final Module CORE = HttpServer.class.getModule();
    private static final Module EXAMPLES = HelloWorld.class.getModule();

    @Test
    void theExamplesAndCoreAreNamedModules() {
        assertThat(EXAMPLES.getName()).isEqualTo("io.jhttpd.examples");
        assertThat(CORE.getName()).isEqualTo("io.jhttpd");
        assertThat(EXAMPLES.canRead(CORE)).isTrue();
    }

    @Test
    void coreExportsItsApiToTheExamplesAndHidesItsInternals() {
        for (String api : new String[] {"io.jhttpd", "io.jhttpd.http", "io.jhttpd.routing", "io.jhttpd.filters",
                "io.jhttpd.files"}) {
            assertThat(CORE.isExported(api, EXAMPLES)).as(api).isTrue();
        }
        assertThat(CORE.getPackages()).contains("io.jhttpd.server", "io.jhttpd.wire");
        assertThat(CORE.isExported("io.jhttpd.server", EXAMPLES)).isFalse();
        assertThat(CORE.isExported("io.jhttpd.wire", EXAMPLES)).isFalse();
    }

    @Test
    void coreNeedsNothingButTheJdk() {
        assertThat(CORE.getDescriptor().requires())
                .allMatch(requires -> requires.name().equals("java.base") || requires.name().equals("jdk.net"));
        // so jdk.net is resolved on the module path too, and with it the quick ACK
        assertThat(ModuleLayer.boot().findModule("jdk.net")).isPresent();
    }
}
