package io.dcf.cli;

import io.dcf.cli.launcher.GatewayProcess;
import io.dcf.cli.launcher.PidFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The CLI against a real gateway serving TLS with a self-signed certificate (made here by openssl). */
class TlsIT {

    @TempDir
    Path dir;

    @Test
    void cli_withCa_talksTls_plaintextAndUntrustedAreRefusedClearly() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as(out).isTrue();

        Path home = dir.resolve("home");
        Path repo = Path.of(System.getProperty("dcf.repo", "..")).toAbsolutePath().normalize();
        GatewayProcess gateway = GatewayProcess.start(repo, home, 0, false,
                List.of("--dcf.gateway.tls.cert=" + cert, "--dcf.gateway.tls.key=" + key));
        try {
            int port = await().atMost(Duration.ofSeconds(90)).until(() -> PidFile.read(home).map(PidFile::port).orElse(0),
                    p -> p != 0);
            String address = "localhost:" + port;
            CliRunner cli = new CliRunner(dir, home);

            CliRunner.Result tls = cli.run("function", "list", "--gateway", address, "--ca", cert.toString());
            CliRunner.Result byEnv = cli.env("DCF_CA", cert.toString()).run("function", "list", "--gateway", address);
            CliRunner.Result plaintext = new CliRunner(dir, home).run("function", "list", "--gateway", address);
            CliRunner.Result untrusted = new CliRunner(dir, home).run("function", "list", "--gateway", address, "--tls");

            assertThat(tls.code()).as(tls.toString()).isZero();
            assertThat(tls.out()).startsWith("Function");
            assertThat(byEnv.code()).as(byEnv.toString()).isZero();
            assertThat(plaintext.code()).isEqualTo(ExitCode.GATEWAY);
            assertThat(plaintext.err()).isEqualTo("Error: cannot reach the DCF gateway at " + address + " (it closed the"
                    + " connection, as a gateway serving TLS does to plaintext); pass --tls, or --ca FILE for a"
                    + " self-signed certificate\n");
            assertThat(untrusted.code()).isEqualTo(ExitCode.GATEWAY);
            assertThat(untrusted.err()).startsWith("Error: cannot reach the DCF gateway at " + address)
                    .containsIgnoringCase("certif");
        } finally {
            gateway.stop(Duration.ofSeconds(30));
        }
    }
}
