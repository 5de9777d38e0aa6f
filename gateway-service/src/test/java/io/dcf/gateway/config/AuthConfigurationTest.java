package io.dcf.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.gateway.auth.Authenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Where the gateway's token comes from: the setting, a file, or a new one in DCF_HOME. */
class AuthConfigurationTest {

    @TempDir
    Path home;

    private HomeLock lock;

    @AfterEach
    void unlock() throws Exception {
        if (lock != null) {
            lock.close();
        }
    }

    private Authenticator authenticator(boolean enabled, String token, String tokenFile) {
        GatewayProperties props = new GatewayProperties(0, "127.0.0.1", home, "local", DataSize.ofMegabytes(1), DataSize.ofMegabytes(1),
                Duration.ofSeconds(1), Duration.ofMinutes(5), 64, null, null, null, null,
                new GatewayProperties.Auth(enabled, token, tokenFile, Duration.ofSeconds(10)),
                java.util.List.of(),
                new GatewayProperties.Tls("", "", Duration.ofSeconds(10)), new GatewayProperties.Metrics(true, "none", Duration.ofSeconds(5), Duration.ofSeconds(2)));
        lock = HomeLock.acquire(home);
        return new AuthConfiguration().authenticator(props, java.util.Optional.of(lock));
    }

    @Test
    void default_generatesTheTokenInDcfHome() throws Exception {
        Authenticator auth = authenticator(true, "", "");

        String secret = Files.readString(home.resolve("token")).strip();
        assertThat(auth.authenticate("Bearer " + secret).authenticated()).isTrue();
    }

    @Test
    void token_winsOverTheFile_andWritesNothing() {
        Authenticator auth = authenticator(true, " given ", home.resolve("missing").toString());

        assertThat(auth.authenticate("Bearer given").authenticated()).isTrue();
        assertThat(home.resolve("token")).doesNotExist();
    }

    @Test
    void tokenFile_isRead_andAMissingOneFailsTheStart() throws Exception {
        Path file = Files.writeString(home.resolve("secret.txt"), "from-file\n");

        assertThat(authenticator(true, "", file.toString()).authenticate("Bearer from-file").authenticated()).isTrue();
        lock.close();
        assertThatThrownBy(() -> authenticator(true, "", home.resolve("nope").toString()))
                .hasMessageContaining("cannot read the gateway token file " + home.resolve("nope"));
    }

    @Test
    void disabled_acceptsEveryone() {
        Authenticator auth = authenticator(false, "", "");

        assertThat(auth.enabled()).isFalse();
        assertThat(auth.authenticate(null).authenticated()).isTrue();
        assertThat(home.resolve("token")).doesNotExist();
    }
}
