package io.dcf.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's "Hello DCF" workflow through the CLI's own entry point against a real
 * gateway (a child process started exactly as {@code dcf up} starts it, on a free port,
 * with a temporary DCF_HOME).
 */
class HelloWorkflowIT {

    @RegisterExtension
    static final LocalGateway GATEWAY = new LocalGateway();


    @TempDir
    Path work;

    private CliRunner cli() {
        return GATEWAY.cli(work);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "python"})
    void helloWorkflow_initCreateListCallDelete(String runtime) {
        String name = "hello-" + runtime;
        CliRunner cli = cli();

        CliRunner.Result init = cli.run("function", "init", "--runtime", runtime, name);
        assertThat(init.code()).as(init.toString()).isZero();

        CliRunner.Result create = cli.run("function", "create", "-f", "config.yaml");
        assertThat(create.code()).as(create.toString()).isZero();
        assertThat(create.out()).contains("Deploying: " + name, "http trigger url: http://" + GATEWAY.address() + "/function/" + name);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(cli.run("function", "list").out()).containsPattern("(?m)^" + name + " .* Ready\\s*$"));

        CliRunner.Result call = cli.run("Hello, DCF!\n".getBytes(StandardCharsets.UTF_8), "function", "call", name);
        assertThat(call.code()).as(call.toString()).isZero();
        assertThat(call.out()).isEqualTo("Hello, DCF!\n");

        CliRunner.Result delete = cli.run("function", "delete", name);
        assertThat(delete.code()).as(delete.toString()).isZero();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(cli.run("function", "list").out()).doesNotContain(name));
    }

    @Test
    void call_unknownFunction_exits2WithMessage() {
        CliRunner.Result result = cli().run("x".getBytes(StandardCharsets.UTF_8), "function", "call", "no-such-function");

        assertThat(result.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).isEqualTo("Error: function no-such-function not found\n");
    }

    @Test
    void info_showsReplicasOfADeployedFunction() throws Exception {
        CliRunner cli = cli();
        cli.run("function", "init", "--runtime", "java", "info-java");
        assertThat(cli.run("function", "create", "--wait").code()).isZero();

        CliRunner.Result info = cli.run("function", "info", "info-java");

        assertThat(info.out()).contains("Status:      Ready", "Replica states:", "READY", "endpoint=127.0.0.1:");
        assertThat(cli.run("function", "delete", "-f", "config.yaml").out()).isEqualTo("Deleted: info-java\n");
    }

    @Test
    void tokenFunction_theCliCallsIt_anHttpCallerWithoutTheTokenGets401() throws Exception {
        CliRunner cli = cli();
        cli.run("function", "init", "--runtime", "java", "secret-java");
        Path config = work.resolve("config.yaml");
        Files.writeString(config, Files.readString(config)
                .replace("    runtime: java\n", "    runtime: java\n    auth: token\n"));
        assertThat(cli.run("function", "create", "--wait").code()).isZero();

        CliRunner.Result call = cli.run("psst".getBytes(StandardCharsets.UTF_8), "function", "call", "secret-java");
        java.net.http.HttpResponse<String> anonymous = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + GATEWAY.address() + "/function/secret-java"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("psst")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(call.code()).as(call.toString()).isZero();
        assertThat(call.out()).isEqualTo("psst");
        assertThat(cli.run("function", "info", "secret-java").out()).contains("Auth:        token");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("function secret-java needs the gateway's token (auth: token)");
        assertThat(cli.run("function", "delete", "secret-java").code()).isZero();
    }

    @Test
    void gatewayDown_exits2NamingTheAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        CliRunner.Result result = new CliRunner(work, GATEWAY.home()).run("function", "list", "--gateway", "127.0.0.1:" + port);

        assertThat(result.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).isEqualTo("Error: cannot reach the DCF gateway at 127.0.0.1:" + port
                + " (connection refused); start it with ./dcf up or pass --gateway\n");
        assertThat(Files.exists(GATEWAY.home().resolve("gateway.pid"))).isTrue();
    }
}
