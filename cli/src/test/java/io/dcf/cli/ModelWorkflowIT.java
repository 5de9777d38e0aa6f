package io.dcf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/linear-model through the CLI against a real gateway (a child process, as dcf up starts
 * it): create, update-model with a file of several 1 MiB chunks, versions, rollback, bad inputs.
 */
class ModelWorkflowIT {

    @RegisterExtension
    static final LocalGateway GATEWAY = new LocalGateway();

    @TempDir
    static Path home;

    @TempDir
    Path work;

    @Test
    void linearModel_updateModel_versions_rollback() throws Exception {
        CliRunner cli = GATEWAY.cli(work);
        copyExample(work);
        ok(cli.run("function", "create", "-f", "config.yaml"));
        assertThat(call(cli)).isEqualTo("{\"y\": 5.0, \"model\": \"v1\"}");

        byte[] model = ("{\"weights\": [2, 3], \"bias\": 1, \"version\": \"v2\", \"notes\": \""
                + "x".repeat(3 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        Files.write(work.resolve("model-v2.json"), model);
        CliRunner.Result update = ok(cli.run("function", "update-model", "linear-model", "--file", "model-v2.json"));
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        assertThat(update.out()).contains("Uploading model-v2.json (3.0 MiB) to function linear-model...",
                "sent 3.0 MiB of 3.0 MiB",
                "Updated: linear-model now runs version 2 with /models/model-v2.json (" + digest + "); 2 of 2");
        assertThat(call(cli)).isEqualTo("{\"y\": 14.0, \"model\": \"v2\"}");

        String table = ok(cli.run("function", "versions", "linear-model")).out();
        assertThat(table).containsPattern("(?m)^\\*\\s+2\\s+update-model\\s+\\S+\\s+/models/model-v2.json \\(3.0 MiB\\)")
                .containsPattern("(?m)^\\s+1\\s+deploy\\s");
        JsonNode json = new ObjectMapper().readTree(ok(cli.run("function", "versions", "linear-model", "-o", "json"))
                .out());
        assertThat(json.path("versions").get(0).path("modelDigest").asText()).isEqualTo(digest);

        assertThat(ok(cli.run("function", "rollback", "linear-model")).out())
                .contains("Rolled back: linear-model now runs version 3");
        assertThat(call(cli)).isEqualTo("{\"y\": 5.0, \"model\": \"v1\"}");
        assertThat(ok(cli.run("function", "versions", "linear-model")).out())
                .containsPattern("(?m)^\\*\\s+3\\s+rollback to 1\\s");
    }

    @Test
    void badInputs_exitWithOneLineAndChangeNothing() throws Exception {
        CliRunner cli = GATEWAY.cli(work);
        Files.writeString(work.resolve("m.bin"), "weights");

        CliRunner.Result missing = cli.run("function", "update-model", "linear-model", "--file", "nope.bin");
        assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("--file: " + work.resolve("nope.bin") + " does not exist");

        CliRunner.Result ghost = cli.run("function", "update-model", "ghost", "--file", "m.bin");
        assertThat(ghost.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(ghost.err()).contains("function ghost not found").doesNotContain("\tat ");

        CliRunner.Result dots = cli.run("function", "update-model", "ghost", "--file", "m.bin", "--path",
                "/models/../x");
        assertThat(dots.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(dots.err()).contains("path: '/models/../x' must not contain '..'");

        CliRunner.Result version = cli.run("function", "rollback", "ghost", "--to", "9");
        assertThat(version.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(version.err()).contains("function ghost not found");
    }

    private static String call(CliRunner cli) {
        return ok(cli.run("{\"x\": [2, 3]}".getBytes(StandardCharsets.UTF_8), "function", "call", "linear-model"))
                .out();
    }

    private static CliRunner.Result ok(CliRunner.Result result) {
        assertThat(result.code()).as(result.toString()).isZero();
        return result;
    }

    private static void copyExample(Path to) throws Exception {
        Path example = GATEWAY.repo().resolve("examples/linear-model");
        try (Stream<Path> files = Files.list(example)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
