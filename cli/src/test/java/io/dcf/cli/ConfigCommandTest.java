package io.dcf.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCommandTest {

    @TempDir
    Path dir;

    @Test
    void setThenGet_roundTripsTheGatewayInDcfHome() {
        CliRunner cli = new CliRunner(dir, dir.resolve("home"));

        assertThat(cli.run("config", "get", "gateway").out()).isEqualTo("localhost:31113\n");
        CliRunner.Result set = cli.run("config", "set", "gateway", "10.0.0.5:31113");

        assertThat(set.code()).isZero();
        assertThat(dir.resolve("home/config.yaml")).content().contains("gateway: 10.0.0.5:31113");
        assertThat(cli.run("config", "get", "gateway").out()).isEqualTo("10.0.0.5:31113\n");
    }

    @Test
    void unknownKeyOrBadAddress_isAUsageError() {
        CliRunner cli = new CliRunner(dir, dir.resolve("home"));

        CliRunner.Result unknown = cli.run("config", "set", "colour", "blue");
        CliRunner.Result bad = cli.run("config", "set", "gateway", "a:b:c:x");

        assertThat(unknown.code()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).isEqualTo("Error: unknown setting 'colour' (supported: gateway)\n");
        assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).startsWith("Error: invalid gateway address");
    }
}
