package io.dcf.cli;

import io.dcf.cli.config.ConfigException;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** The {@code dcf} entry point. */
public final class DcfMain {

    private DcfMain() {
    }

    public static void main(String[] args) {
        Cli cli = new Cli(System.in, System.out, System.err, System.getenv(), Path.of(""), System.console() != null);
        int code = run(args, cli);
        System.out.flush();
        System.exit(code);
    }

    /** Runs {@code dcf args} in the JVM's working directory; returns the exit code. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, new Cli(in, out, err, env, Path.of(""), false));
    }

    /** Runs {@code dcf args} with the given context; never calls {@code System.exit}. */
    public static int run(String[] args, Cli cli) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cl = commandLine(cli);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, cli, debug));
        cl.setParameterExceptionHandler((e, a) -> {
            String help = e.getCommandLine().getCommandSpec().qualifiedName();
            cli.err().println("Error: " + e.getMessage() + " (see '" + help + " --help')");
            cli.err().flush();
            return ExitCode.USAGE;
        });
        try {
            return cl.execute(args);
        } finally {
            cli.out().flush();
            cli.err().flush();
        }
    }

    /** The command tree, with commands constructed with the context. */
    public static CommandLine commandLine(Cli cli) {
        CommandLine cl = new CommandLine(DcfCommand.class, new Factory(cli));
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(cli.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(cli.err(), StandardCharsets.UTF_8), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    static int report(Exception e, Cli cli, boolean debug) {
        int code;
        String message;
        if (e instanceof CliException ce) {
            code = ce.exitCode();
            message = ce.getMessage();
        } else if (e instanceof ConfigException ce) {
            code = ExitCode.USAGE;
            message = ce.getMessage();
        } else if (e instanceof java.io.IOException io) {
            code = ExitCode.USAGE;
            message = io.getClass() == java.nio.file.NoSuchFileException.class
                    ? "no such file: " + io.getMessage() : String.valueOf(io.getMessage());
        } else {
            code = ExitCode.GATEWAY;
            message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        }
        cli.err().println("Error: " + message);
        if (debug) {
            e.printStackTrace(cli.err());
        }
        cli.err().flush();
        return code;
    }

    /** Creates commands with a {@code (Cli)} constructor when they have one. */
    private record Factory(Cli cli) implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> constructor = cls.getDeclaredConstructor(Cli.class);
                constructor.setAccessible(true);
                return constructor.newInstance(cli);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
