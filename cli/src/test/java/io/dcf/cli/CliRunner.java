package io.dcf.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code dcf} in-process through {@link DcfMain#run(String[], Cli)} with captured streams. */
public final class CliRunner {

    private final Path cwd;
    private final Map<String, String> env = new HashMap<>();

    public CliRunner(Path cwd, Path home) {
        this.cwd = cwd;
        env.put("DCF_HOME", home.toString());
    }

    public CliRunner env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public Result run(String... args) {
        return run(new byte[0], args);
    }

    public Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, cwd, false);
        int code = DcfMain.run(args, cli);
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** An exit code and what was printed. */
    public record Result(int code, byte[] outBytes, String err) {

        public String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out() + "--- stderr\n" + err;
        }
    }
}
