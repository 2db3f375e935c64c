package io.jhttpd.app.ops;

import io.jhttpd.filters.AccessLogFilter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpsSettingsTest {

    @Test
    void defaultsAreCommonLogOnTheAppsOutputAndEndpointsOnTheApiPort() {
        OpsSettings d = OpsSettings.defaults();
        assertThat(d.accessLogFormat()).isEqualTo(AccessLogFilter.Format.COMMON);
        assertThat(d.accessLogFile()).isNull();
        assertThat(d.accessLogBuffer()).isEqualTo(8192);
        assertThat(d.opsEndpoints()).isTrue();
        assertThat(d.adminHost()).isNull();
        assertThat(d.adminPort()).isEqualTo(OpsSettings.SAME_PORT);
        assertThat(d.separateAdminPort()).isFalse();
    }

    @Test
    void withersChangeOneSettingEach() {
        OpsSettings s = OpsSettings.defaults().withAccessLogFormat(AccessLogFilter.Format.JSON)
                .withAccessLogFile(Path.of("/var/log/jhttpd.log")).withAccessLogBuffer(10)
                .withAdminHost("127.0.0.1").withAdminPort(0);
        assertThat(s).isEqualTo(new OpsSettings(AccessLogFilter.Format.JSON, Path.of("/var/log/jhttpd.log"), 10, true,
                "127.0.0.1", 0));
        assertThat(s.separateAdminPort()).isTrue();
    }

    @Test
    void refusesImpossibleValues() {
        assertThatThrownBy(() -> OpsSettings.defaults().withAccessLogBuffer(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> OpsSettings.defaults().withAdminPort(-2)).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> OpsSettings.defaults().withAdminPort(65_536)).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> OpsSettings.defaults().withAccessLogFormat(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> OpsSettings.defaults().withAdminPort(9090).withOpsEndpoints(false))
                .hasMessageContaining("turned off");
    }
}
