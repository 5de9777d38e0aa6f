package io.dcf.build.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildTokenTest {

    @TempDir
    Path tmp;

    @Test
    void readOrCreate_missingFile_generatesAPrivateRandomToken() throws IOException {
        Path file = tmp.resolve("work/token");
        BuildToken token = BuildToken.readOrCreate(file);
        String secret = Files.readString(file).strip();
        assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(token.matchesHeader("Bearer " + secret)).isTrue();
        assertThat(BuildToken.readOrCreate(file).matchesHeader("Bearer " + secret)).as("read again, not replaced").isTrue();
        assertThat(token.toString()).doesNotContain(secret);
    }

    @Test
    void matchesHeader_needsBearerAndTheExactToken() throws IOException {
        Path file = Files.writeString(tmp.resolve("token"), "s3cret\nsecond line ignored\n");
        BuildToken token = BuildToken.readOrCreate(file);
        assertThat(token.matchesHeader("Bearer s3cret")).isTrue();
        assertThat(token.matchesHeader("bearer s3cret")).isTrue();
        assertThat(token.matchesHeader("Bearer s3cret2")).isFalse();
        assertThat(token.matchesHeader("s3cret")).isFalse();
        assertThat(token.matchesHeader("Basic s3cret")).isFalse();
        assertThat(token.matchesHeader(null)).isFalse();
    }

    @Test
    void readOrCreate_emptyFile_failsNamingItAndTheSetting() throws IOException {
        Path file = Files.writeString(tmp.resolve("token"), "\n");
        assertThatThrownBy(() -> BuildToken.readOrCreate(file))
                .hasMessage("the build-service token file " + file + " is empty (dcf.build.token-file)");
    }
}
