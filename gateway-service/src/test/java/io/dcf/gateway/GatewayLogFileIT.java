package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway jar run as {@code dcf up} runs it ({@code --logging.file.name}, console off)
 * writes its own log file and rotates it by size, with the rolled files capped in total.
 */
class GatewayLogFileIT {


    @TempDir
    Path tmp;

    @Test
    void gatewayLog_rollsBySize_andTheRolledFilesStayUnderTheCap() throws Exception {
        Path home = tmp.resolve("home");
        Path log = home.resolve("logs/gateway.log");
        Path stdout = tmp.resolve("stdout.txt");
        List<String> command = TestGateway.processCommand(TestGateway.GATEWAY_JAR, home, TestGateway.WATCHER_JAR,
                TestGateway.RUNTIMES);
        command.addAll(List.of("--logging.file.name=" + log, "--logging.threshold.console=OFF",
                // Small sizes, and DEBUG logging so that starting up alone writes about 60 KB.
                "--logging.logback.rollingpolicy.max-file-size=16KB",
                "--logging.logback.rollingpolicy.total-size-cap=32KB",
                "--logging.level.root=DEBUG"));
        Process gateway = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(stdout.toFile()).start();
        try {
            // the line may already have rolled into gateway.log.<date>.<i>: look in every file
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> Files.isDirectory(log.getParent())
                    && anyLogContains(log.getParent(), "DCF gateway serving"));
            gateway.destroy();
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();

            List<Path> files;
            try (var list = Files.list(log.getParent())) {
                files = list.filter(p -> p.getFileName().toString().startsWith("gateway.log")).toList();
            }
            assertThat(files).as("gateway.log and its rolled files").hasSizeGreaterThan(1)
                    .allSatisfy(p -> assertThat(p.getFileName().toString()).matches(
                            "gateway\\.log(\\.\\d{4}-\\d{2}-\\d{2}\\.\\d+)?"));
            long total = 0;
            for (Path p : files) {
                assertThat(Files.size(p)).as(p.toString()).isLessThan(2 * 16 * 1024);
                total += Files.size(p);
            }
            assertThat(total).as("all gateway log files").isLessThan(32 * 1024 + 2 * 16 * 1024);
            assertThat(Files.readString(stdout)).as("nothing on standard output").isEmpty();
        } finally {
            gateway.destroyForcibly();
        }
    }

    private static boolean anyLogContains(Path dir, String text) throws java.io.IOException {
        try (var list = Files.list(dir)) {
            for (Path p : list.filter(f -> f.getFileName().toString().startsWith("gateway.log")).toList()) {
                if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }
}
