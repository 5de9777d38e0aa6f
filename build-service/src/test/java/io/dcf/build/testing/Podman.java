package io.dcf.build.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real containers for tests: podman with runc (crun does not run here), the host's network,
 * plain HTTP to a loopback registry. Each command has a time limit.
 */
public final class Podman {

    private Podman() {
    }

    /** Runs {@code image} detached as {@code name}, with {@code env}; returns podman's output (the container id). */
    public static String runDetached(String name, String image, List<String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc", "run", "-d", "--rm",
                "--name", name, "--network", "host", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                "--tls-verify=false"));
        env.forEach(e -> command.addAll(List.of("-e", e)));
        command.add(image);
        return run(command, 300);
    }

    public static String logs(String name) {
        try {
            return run(List.of("podman", "logs", name), 30);
        } catch (Exception e) {
            return "(no logs: " + e.getMessage() + ")";
        }
    }

    /** Removes the container and the image, ignoring what is already gone. */
    public static void remove(String name, String image) {
        try {
            run(List.of("podman", "rm", "-f", "--ignore", name), 60);
            run(List.of("podman", "rmi", "-f", "--ignore", image), 60);
        } catch (Exception e) {
            // best effort: the test's result does not depend on it
        }
    }

    static String run(List<String> command, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no answer within " + seconds + " s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
