package io.dcf.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayAddressTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private Path home;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        env.put("DCF_HOME", home.toString());
    }

    private GatewayAddress resolve(String flag, Path configFile) {
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(PrintStream.nullOutputStream()),
                new PrintStream(PrintStream.nullOutputStream()), env, dir, false);
        return GatewayAddress.resolve(cli, flag, configFile);
    }

    @Test
    void isLoopback_onlyForThisMachine() {
        assertThat(GatewayAddress.parse("localhost:31113", "test").isLoopback()).isTrue();
        assertThat(GatewayAddress.parse("127.0.0.1:31113", "test").isLoopback()).isTrue();
        assertThat(GatewayAddress.parse("keti.asuscomm.com:32222", "test").isLoopback()).isFalse();
        assertThat(GatewayAddress.parse("10.0.0.7:31113", "test").isLoopback()).isFalse();
    }

    @Test
    void resolution_followsTheDocumentedOrder() throws Exception {
        assertThat(resolve(null, null).toString()).isEqualTo("localhost:31113");

        UserSettings.save(home, "gateway", "settings:1");
        assertThat(resolve(null, null).toString()).isEqualTo("settings:1");

        Files.writeString(dir.resolve("config.yaml"), "dcf:\n  gateway: cwd-config:2\n");
        assertThat(resolve(null, null).toString()).isEqualTo("cwd-config:2");

        Path other = Files.writeString(dir.resolve("other.yaml"), "openfx:\n  gateway: f-config:3\n");
        assertThat(resolve(null, other).toString()).as("-f wins over ./config.yaml").isEqualTo("f-config:3");

        env.put("DCF_GATEWAY", "env:4");
        assertThat(resolve(null, other).toString()).isEqualTo("env:4");

        assertThat(resolve("flag:5", other).toString()).isEqualTo("flag:5");
    }

    @Test
    void configWithoutGateway_fallsThrough() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "functions: {}\n");
        UserSettings.save(home, "gateway", "settings:1");

        assertThat(resolve(null, null).toString()).isEqualTo("settings:1");
    }

    @Test
    void parse_acceptsHostOnlyUrlsAndIpv6() {
        assertThat(GatewayAddress.parse("example", "t")).isEqualTo(new GatewayAddress("example", 31113, "t"));
        assertThat(GatewayAddress.parse("http://Example:8080/", "t").toString()).isEqualTo("example:8080");
        assertThat(GatewayAddress.parse("[::1]:9", "t").toString()).isEqualTo("[::1]:9");
        assertThat(GatewayAddress.parse("h:1", "t").httpUrl()).isEqualTo("http://h:1");
    }

    @Test
    void parse_rejectsBadAddressesAsUsageErrors() {
        assertThatThrownBy(() -> GatewayAddress.parse("h:x", "--gateway"))
                .isInstanceOf(CliException.class)
                .hasMessage("invalid gateway address 'h:x' from --gateway (expected host:port, for example localhost:31113)")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(ExitCode.USAGE);
        assertThatThrownBy(() -> GatewayAddress.parse("h:70000", "t")).isInstanceOf(CliException.class);
        assertThatThrownBy(() -> GatewayAddress.parse(":1", "t")).isInstanceOf(CliException.class);
    }
}
