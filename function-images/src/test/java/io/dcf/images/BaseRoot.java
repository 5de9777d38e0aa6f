package io.dcf.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A docker-save base tarball unpacked into a directory and programs run inside it with only
 * the image's files: {@code unshare -r -m -p -f --mount-proc chroot} (a user namespace, so no
 * root is needed; /proc mounted because the JRE finds its libraries through it).
 */
final class BaseRoot {

    final Path root;

    private BaseRoot(Path root) {
        this.root = root;
    }

    /** Runs {@code script args...} (a runtimes/base script) with a deadline; fails with its output. */
    static String runScript(Path script, List<String> args, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(args);
        Result result = run(new ProcessBuilder(command), log, 600);
        if (result.exit != 0) {
            throw new AssertionError(script + " exited " + result.exit + ":\n" + result.output);
        }
        return result.output;
    }

    /** Unpacks every layer of the docker-save tarball {@code tar} into {@code root}, lowest first. */
    static BaseRoot unpack(Path tar, Path root) throws Exception {
        Path work = Files.createDirectories(root.resolveSibling(root.getFileName() + "-layers"));
        Files.createDirectories(root);
        exec(work, List.of("tar", "-xf", tar.toString(), "-C", work.toString()));
        JsonNode manifest = new ObjectMapper().readTree(work.resolve("manifest.json").toFile()).get(0);
        for (JsonNode layer : manifest.path("Layers")) {
            exec(work, List.of("tar", "-xf", work.resolve(layer.asText()).toString(), "-C", root.toString()));
        }
        Files.createDirectories(root.resolve("proc"));
        return new BaseRoot(root);
    }

    /** Runs {@code command} inside the root with exactly {@code env}; returns its exit code and output. */
    Result run(List<String> command, Map<String, String> env, Path log) throws Exception {
        List<String> full = new ArrayList<>(List.of("/usr/bin/unshare", "-r", "-m", "-p", "-f",
                "--mount-proc=" + root.resolve("proc"), "/usr/sbin/chroot", root.toString()));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full);
        builder.environment().clear();
        builder.environment().putAll(env);
        return run(builder, log, 120);
    }

    record Result(int exit, String output) {
    }

    private static Result run(ProcessBuilder builder, Path log, int seconds) throws Exception {
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(builder.command() + " did not end within " + seconds + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static void exec(Path dir, List<String> command) throws Exception {
        Result result = run(new ProcessBuilder(command), dir.resolve("cmd.log"), 120);
        if (result.exit != 0) {
            throw new IOException(command + " exited " + result.exit + ": " + result.output);
        }
    }
}
