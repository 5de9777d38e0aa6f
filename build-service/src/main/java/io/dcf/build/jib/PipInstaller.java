package io.dcf.build.jib;

import io.dcf.build.BuildCancelledException;
import io.dcf.build.BuildEvents;
import io.dcf.build.BuildFailedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs a function's requirements.txt with {@code pip install --target}, accepting only
 * pure-Python wheels ({@code --only-binary=:all: --implementation py --platform any}): what pip
 * lays out then runs on any Python 3 of the base image. When a requirement has no such wheel
 * (a platform wheel, an sdist to compile), {@link NotPureRequirementsException}.
 */
final class PipInstaller {

    private static final int TAIL = 20;

    private final String python;
    private final List<String> extraArgs;
    private final Duration timeout;

    PipInstaller(String python, List<String> extraArgs, Duration timeout) {
        this.python = python;
        this.extraArgs = List.copyOf(extraArgs);
        this.timeout = timeout;
    }

    /** Whether {@code requirements} names any package (lines that are not blank or comments). */
    static boolean needed(Path requirements) {
        if (!Files.isRegularFile(requirements)) {
            return false;
        }
        try {
            return Files.readAllLines(requirements, StandardCharsets.UTF_8).stream()
                    .map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + requirements, e);
        }
    }

    /** The pip command line (without the process's own environment). */
    List<String> command(Path requirements, Path target) {
        List<String> command = new ArrayList<>(List.of(python, "-m", "pip", "install", "--target", target.toString(),
                "--only-binary=:all:", "--implementation", "py", "--platform", "any", "--no-compile",
                "--disable-pip-version-check", "--no-input", "--progress-bar", "off"));
        command.addAll(extraArgs);
        command.addAll(List.of("-r", requirements.toString()));
        return command;
    }

    /** Installs into {@code target}; pip's output goes to the build's log. */
    void install(String function, Path requirements, Path target, BuildEvents events) {
        List<String> command = command(requirements, target);
        events.log("pip: " + String.join(" ", command));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BuildFailedException("function " + function + ": cannot run pip with " + python
                    + " (dcf.build.jib.python): " + e.getMessage());
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> read(process, tail, events), "pip-" + function);
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BuildFailedException("function " + function + ": pip install took longer than " + timeout
                        + " (dcf.build.jib.pip-timeout)");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildCancelledException(function);
        } finally {
            process.destroyForcibly(); // first: the reader then sees the end of pip's output
        }
        if (process.exitValue() != 0) {
            failure(function, tail);
        }
    }

    private static void read(Process process, Deque<String> tail, BuildEvents events) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                events.log(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended or was destroyed
        }
    }

    private static void failure(String function, Deque<String> tail) {
        List<String> lines;
        synchronized (tail) {
            lines = List.copyOf(tail);
        }
        String error = lines.stream().filter(l -> l.startsWith("ERROR:")).findFirst()
                .orElse(lines.isEmpty() ? "no output" : lines.get(lines.size() - 1));
        if (lines.stream().anyMatch(l -> l.contains("No matching distribution found")
                || l.contains("Could not find a version that satisfies"))) {
            throw new NotPureRequirementsException("function " + function + ": requirements.txt: not every"
                    + " requirement is a pure-Python wheel (pip: " + error + ")");
        }
        throw new BuildFailedException("function " + function + ": pip install -r requirements.txt failed: " + error);
    }
}
