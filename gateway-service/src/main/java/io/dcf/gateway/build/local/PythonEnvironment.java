package io.dcf.gateway.build.local;

import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-function Python virtual environment, made when the function's
 * requirements.txt lists anything. It sees the system's site packages, so the
 * watcher's grpc stays importable; pip installs the requirements into it.
 */
final class PythonEnvironment {

    private static final Logger log = LoggerFactory.getLogger(PythonEnvironment.class);
    private static final Pattern NO_DISTRIBUTION = Pattern.compile("No matching distribution found for (\\S+)");
    private static final Pattern NOT_SATISFIABLE =
            Pattern.compile("Could not find a version that satisfies the requirement (\\S+)");
    private static final long PIP_TIMEOUT_MINUTES = 15;

    private PythonEnvironment() {
    }

    /** True when requirements.txt names at least one package. */
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

    /**
     * Creates {@code dir/venv} and installs {@code requirements}, each line of pip's output (also kept in
     * {@code dir/pip.log}) told to {@code output} as it comes; returns the venv's python. The
     * directory may be moved afterwards (the local backend moves staged code into place): only
     * {@code venv/bin/python} is run, and Python finds its venv relative to that path.
     */
    static Path create(String function, Supplier<String> basePython, Path requirements, Path dir,
                       Consumer<String> output) {
        Path venv = dir.resolve("venv");
        Path log = dir.resolve("pip.log");
        run(function, List.of(basePython.get(), "-m", "venv", "--system-site-packages", venv.toString()), log,
                "cannot create a Python virtual environment (install python3-venv)", output);
        Path python = venv.resolve("bin/python");
        run(function, List.of(python.toString(), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
                "--retries", "0", "--timeout", "20", "-r", requirements.toString()), log, null, output);
        PythonEnvironment.log.info("Installed requirements of function={} into {}", function, venv);
        return python;
    }

    private static void run(String function, List<String> command, Path logFile, String failure,
                            Consumer<String> output) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            Thread copier = ProcessOutput.copy(p, logFile, output, "pip-output-" + function);
            boolean ended = p.waitFor(PIP_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            if (!ended) {
                p.destroyForcibly();
            }
            copier.join(TimeUnit.SECONDS.toMillis(10)); // the pipe ends with the process (and its children)
            if (!ended) {
                throw new DcfException(Status.Code.DEADLINE_EXCEEDED, "function " + function
                        + ": installing requirements.txt took longer than " + PIP_TIMEOUT_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                String text = Files.readString(logFile, StandardCharsets.UTF_8);
                throw new InvalidFunctionSpecException("function " + function + ": "
                        + (failure != null ? failure : describePipFailure(text)));
            }
        } catch (IOException e) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + function + ": cannot run "
                    + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DcfException(Status.Code.ABORTED, "interrupted while installing requirements of " + function);
        }
    }

    /** Names the requirement pip could not install, with pip's own last error line. */
    static String describePipFailure(String pipOutput) {
        for (Pattern pattern : List.of(NO_DISTRIBUTION, NOT_SATISFIABLE)) {
            Matcher m = pattern.matcher(pipOutput);
            if (m.find()) {
                return "requirements.txt: cannot install '" + m.group(1) + "': " + lastError(pipOutput);
            }
        }
        return "requirements.txt: pip failed: " + lastError(pipOutput);
    }

    private static String lastError(String output) {
        String[] lines = output.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("ERROR:")) {
                return lines[i].substring("ERROR:".length()).strip();
            }
        }
        return lines.length == 0 ? "no output" : lines[lines.length - 1].strip();
    }
}
