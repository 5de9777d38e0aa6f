package io.dcf.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a command may touch of the outside world: standard streams, environment,
 * working directory. Commands never read {@code System.in}, {@code System.getenv()}
 * or the JVM's working directory directly, so tests run them in-process.
 *
 * @param in standard input
 * @param out standard output (command output, binary-safe for {@code function call})
 * @param err standard error (errors and hints)
 * @param env the environment variables
 * @param cwd the directory relative paths are resolved against
 * @param stdinIsTty whether standard input is an interactive terminal
 */
public record Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path cwd,
                  boolean stdinIsTty) {

    public Cli {
        requireNonNull(in, "in");
        requireNonNull(out, "out");
        requireNonNull(err, "err");
        env = Map.copyOf(requireNonNull(env, "env"));
        cwd = requireNonNull(cwd, "cwd").toAbsolutePath().normalize();
    }

    /** {@code DCF_HOME}, else {@code ~/.dcf}. */
    public Path home() {
        String home = env.get("DCF_HOME");
        if (home != null && !home.isBlank()) {
            return cwd.resolve(home).normalize();
        }
        return Path.of(System.getProperty("user.home"), ".dcf");
    }

    /** Resolves a path given on the command line against {@link #cwd()}. */
    public Path resolve(String path) {
        return cwd.resolve(path).normalize();
    }

    /**
     * The repository the CLI runs from: {@code -Ddcf.repo} (set by {@code ./dcf}), else
     * {@code DCF_REPO}, else two levels above the CLI's jar ({@code cli/target/dcf-cli.jar}).
     */
    public Path repo() {
        String repo = System.getProperty("dcf.repo", env.get("DCF_REPO"));
        if (repo != null && !repo.isBlank()) {
            return Path.of(repo).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().getParent();
        } catch (Exception | Error e) {
            throw CliException.usage("cannot locate the DCF repository; run through ./dcf or set DCF_REPO");
        }
    }
}
