package io.dcf.runtimes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds a Python 3 that can import grpc and protobuf, as the watcher needs. */
final class PythonRuntime {

    private static volatile Path found;

    private PythonRuntime() {
    }

    /**
     * {@code DCF_PYTHON} when set, else {@code /usr/bin/python3} (Debian's, which sees
     * python3-grpcio). Fails, never skips, when that one cannot import grpc.
     */
    static Path python() {
        Path python = found;
        if (python == null) {
            python = find();
            found = python;
        }
        return python;
    }

    /** The watcher's entry point in this module's source tree. */
    static Path watcherScript() {
        return moduleDir().resolve("python/watcher/dcf_watcher.py");
    }

    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    private static Path find() {
        String configured = System.getenv("DCF_PYTHON");
        List<String> candidates = configured == null || configured.isBlank()
                ? List.of("/usr/bin/python3")
                : List.of(configured);
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates) {
            String problem = problemWith(Path.of(candidate));
            if (problem == null) {
                return Path.of(candidate);
            }
            tried.add(candidate + " (" + problem + ")");
        }
        throw new AssertionError("No Python 3 that can import grpc and google.protobuf; tried " + tried
                + ". Install python3-grpcio and python3-protobuf (apt-get install python3-grpcio python3-protobuf)"
                + " or point DCF_PYTHON at a python3 that has grpcio and protobuf.");
    }

    private static String problemWith(Path python) {
        if (!Files.isExecutable(python)) {
            return "not an executable file";
        }
        try {
            Process process = new ProcessBuilder(python.toString(), "-c", "import grpc, google.protobuf")
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out importing grpc";
            }
            String output = new String(process.getInputStream().readAllBytes()).strip();
            return process.exitValue() == 0 ? null : "cannot import grpc: " + output;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
