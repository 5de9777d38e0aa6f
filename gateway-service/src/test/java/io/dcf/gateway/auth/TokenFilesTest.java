package io.dcf.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.gateway.LogCapture;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TokenFilesTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final LogCapture logs = LogCapture.of(TokenFiles.class);

    @Test
    void readOrCreate_missingFile_writesARandomOwnerOnlyToken_thenReadsTheSameOne() throws Exception {
        Path file = dir.resolve("home/token");

        GatewayToken created = TokenFiles.readOrCreate(file);
        String secret = Files.readString(file).strip();
        GatewayToken again = TokenFiles.readOrCreate(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(again.matches(secret)).isTrue();
        assertThat(again.id()).isEqualTo(created.id());
        assertThat(TokenFiles.readOrCreate(dir.resolve("other/token")).matches(secret)).isFalse();
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void read_secretMountedAs0440ForTheProcesssOwnGroup_doesNotWarn() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
        assertThat(Files.getAttribute(file, "unix:gid")).as("a new file's group is the process's")
                .isEqualTo(ProcessGroup.effectiveGid().orElseThrow());

        assertThat(TokenFiles.read(file).matches("s3cret")).isTrue();

        assertThat(logs.events()).isEmpty();
    }

    @Test
    void read_fileOthersCanRead_warnsNamingItsMode() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));

        TokenFiles.read(file);

        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "The gateway token file " + file + " can be read by other users (mode r--r--r--); run chmod 600 " + file);
    }

    @Test
    void isShared_onlyAnOwnReadOnlyGroupIsNotSharing() {
        OptionalInt own = OptionalInt.of(10001);

        assertThat(TokenFiles.isShared(PosixFilePermissions.fromString("rw-------"), 0, own)).isFalse();
        assertThat(TokenFiles.isShared(PosixFilePermissions.fromString("r--r-----"), 10001, own)).isFalse();
        assertThat(TokenFiles.isShared(PosixFilePermissions.fromString("r--r-----"), 10002, own))
                .as("another group").isTrue();
        assertThat(TokenFiles.isShared(PosixFilePermissions.fromString("r--r-----"), 10001, OptionalInt.empty()))
                .as("the process's group unknown").isTrue();
        assertThat(TokenFiles.isShared(PosixFilePermissions.fromString("rw-rw----"), 10001, own))
                .as("the own group may write").isTrue();
        assertThat(TokenFiles.isShared(PosixFilePermissions.fromString("r--r--r--"), 10001, own))
                .as("others may read").isTrue();
        assertThat(TokenFiles.isShared(PosixFilePermissions.fromString("r-----r--"), 10001, own)).isTrue();
    }

    @Test
    void processGroup_isTheEffectiveGidOfProcStatus() {
        assertThat(ProcessGroup.effectiveGid("Name:\tjava\nUid:\t0\t0\t0\t0\nGid:\t10001\t20002\t10001\t10001\n"
                + "Groups:\t10001 30003\n")).hasValue(20002);
        assertThat(ProcessGroup.effectiveGid("Name:\tjava\n")).isEmpty();
        assertThat(ProcessGroup.effectiveGid("Gid:\tx\ty\n")).isEmpty();
    }

    @Test
    void read_emptyOrMissingFile_failsNamingIt() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> TokenFiles.read(empty)).hasMessageContaining(empty + " is empty");
        assertThatThrownBy(() -> TokenFiles.read(dir.resolve("missing")))
                .hasMessageContaining("cannot read the gateway token file " + dir.resolve("missing"));
    }

    @Test
    void token_isKeptHashed_andNeverShown() {
        String secret = "s3cret-token-value";
        GatewayToken token = GatewayToken.of(secret);

        assertThat(token.matches(secret)).isTrue();
        assertThat(token.matches(secret + " ")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.toString()).doesNotContain(secret).contains(token.id());
        assertThat(token.id()).hasSize(8).doesNotContain("s3cret");
        assertThat(java.util.Arrays.stream(GatewayToken.class.getDeclaredFields()))
                .as("no field holds the token as text")
                .noneMatch(f -> f.getType() == String.class && !f.getName().equals("id")
                        && !java.lang.reflect.Modifier.isStatic(f.getModifiers()));
    }

    @Test
    void authenticator_namesTheCallerWithoutTheToken() {
        GatewayToken token = GatewayToken.of("abc");
        Authenticator auth = Authenticator.of(token);

        assertThat(auth.authenticate("Bearer abc")).isEqualTo(new Caller("token:" + token.id(), null));
        assertThat(auth.authenticate("bearer  abc ").authenticated()).isTrue();
        assertThat(auth.authenticate(null).id()).isEqualTo("anonymous");
        assertThat(auth.authenticate("Bearer abd").id()).isEqualTo("invalid-token");
        assertThat(auth.authenticate("abc").authenticated()).isFalse();
        assertThat(Authenticator.disabled().authenticate(null).authenticated()).isTrue();
    }
}
