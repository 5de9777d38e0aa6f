package io.dcf.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.cli.CliRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpCommandTest {

    @TempDir
    Path home;

    @Test
    void up_withAWaitBelowOneSecond_isAUsageError_andStartsNothing() {
        CliRunner.Result result = new CliRunner(home, home).run("up", "--home", home.toString(), "--port", "0",
                "--wait", "0");

        assertThat(result.code()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("--wait: 0 (expected: at least 1 second)");
        assertThat(PidFile.path(home)).doesNotExist();
    }
}
