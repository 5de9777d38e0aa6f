package io.dcf.cli.function;

import io.dcf.cli.CliRunner;
import io.dcf.cli.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** Which token the CLI sends where: --token-file, DCF_TOKEN, dcf login, and the local gateway's own token. */
class TokenCommandsTest {

    @TempDir
    Path dir;

    private FakeGateway gateway;
    private Path home;

    @BeforeEach
    void setUp() throws Exception {
        gateway = new FakeGateway();
        home = dir.resolve("home");
    }

    @AfterEach
    void tearDown() {
        gateway.close();
    }

    private CliRunner cli() {
        return new CliRunner(dir, home).env("DCF_GATEWAY", gateway.address());
    }

    @Test
    void management_withoutAnyToken_exits2SayingHowToSendOne() {
        CliRunner.Result result = cli().run("function", "list");

        assertThat(result.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).isEqualTo("Error: the DCF gateway at " + gateway.address() + " needs its token (no token"
                + " was sent; on the gateway's machine the CLI reads $DCF_HOME/token by itself); set DCF_TOKEN, pass"
                + " --token-file FILE, or run dcf login --gateway " + gateway.address() + " --token-file FILE"
                + " [this call needs the gateway's token]\n");
    }

    @Test
    void tokenFile_isSent_andAWrongOneIsNamedNotShown() throws Exception {
        Files.writeString(dir.resolve("right.txt"), FakeGateway.TOKEN + "\n");
        Files.writeString(dir.resolve("wrong.txt"), "not-the-token\n");

        CliRunner.Result right = cli().run("function", "list", "--token-file", "right.txt");
        CliRunner.Result wrong = cli().env("DCF_TOKEN", FakeGateway.TOKEN).run("function", "list", "--token-file", "wrong.txt");

        assertThat(right.code()).as(right.toString()).isZero();
        assertThat(wrong.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(wrong.err()).contains("(the token from --token-file wrong.txt was refused)")
                .doesNotContain("not-the-token");
    }

    @Test
    void login_checksTheToken_savesItOwnerOnly_andLaterCommandsSendIt() throws Exception {
        Files.writeString(dir.resolve("token.txt"), FakeGateway.TOKEN + "\n");

        CliRunner.Result login = cli().run("login", "--gateway", gateway.address(), "--token-file", "token.txt");
        CliRunner.Result list = cli().run("function", "list");

        assertThat(login.code()).as(login.toString()).isZero();
        assertThat(login.out()).isEqualTo("Logged in to the DCF gateway at " + gateway.address()
                + " (version fake, backend memory); token saved in " + home.resolve("config.yaml") + "\n");
        Path settings = home.resolve("config.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settings))).isEqualTo("rw-------");
        assertThat(settings).content().contains("tokens:", gateway.address() + ": " + FakeGateway.TOKEN);
        assertThat(list.code()).as(list.toString()).isZero();
    }

    @Test
    void login_withAWrongToken_savesNothing() {
        CliRunner.Result login = cli().run("wrong".getBytes(StandardCharsets.UTF_8),
                "login", "--gateway", gateway.address(), "--token-file", "-");

        assertThat(login.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(login.err()).contains("(the token from standard input was refused)");
        assertThat(home.resolve("config.yaml")).doesNotExist();
    }

    @Test
    void localToken_isSentOnlyToTheGatewayWhosePortDcfHomeNames() throws Exception {
        Files.createDirectories(home);
        Files.writeString(home.resolve("token"), FakeGateway.TOKEN + "\n");
        int port = Integer.parseInt(gateway.address().substring(gateway.address().lastIndexOf(':') + 1));

        Files.writeString(home.resolve("gateway.pid"), "pid=1\nport=" + (port == 1 ? 2 : port - 1) + "\n");
        CliRunner.Result otherGateway = cli().run("function", "list");
        Files.writeString(home.resolve("gateway.pid"), "pid=1\nport=" + port + "\n");
        CliRunner.Result ownGateway = cli().run("function", "list");

        assertThat(otherGateway.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(otherGateway.err()).contains("no token was sent");
        assertThat(ownGateway.code()).as(ownGateway.toString()).isZero();
    }
}
