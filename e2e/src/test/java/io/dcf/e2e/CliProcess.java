package io.dcf.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real {@code dcf} CLI (cli/target/dcf-cli.jar) run as a process, as users run it. */
final class CliProcess {

    private CliProcess() {
    }

    /** An exit code and what was printed. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(Path root, Path cwd, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path jar = root.resolve("cli/target/dcf-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -pl cli -am package -DskipTests");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Ddcf.repo=" + root, "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("dcf-cli-", ".out");
        Path err = Files.createTempFile("dcf-cli-", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("DCF_HOME", cwd.resolve(".dcf-home").toString());
        pb.environment().putAll(env);
        Process process = pb.start();
        process.getOutputStream().close();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("dcf " + String.join(" ", args) + " did not end within 15 minutes");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
