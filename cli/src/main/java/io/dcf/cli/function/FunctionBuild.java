package io.dcf.cli.function;

import com.google.protobuf.ByteString;
import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.config.ConfigException;
import io.dcf.cli.config.ConfigFile;
import io.dcf.cli.config.FunctionConfig;
import io.dcf.cli.config.FunctionSpecs;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.FunctionRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The build phase shared by {@code build}, {@code create} and {@code deploy}: validate, package, check. */
final class FunctionBuild {

    private FunctionBuild() {
    }

    /** A function ready to send: its spec, its code (null with {@code skip_build}) and its handler directory. */
    record Built(FunctionConfig function, FunctionSpec spec, Artifact artifact, Path dir) {
    }

    /**
     * Packages {@code fn}'s handler directory. With {@code compile}, handlers of a
     * {@code watcher: java} runtime are compiled locally, others checked for their handler
     * file (list.yml's {@code handler.file} when config.yaml names none).
     */
    static Built build(Cli cli, ConfigFile config, FunctionConfig fn, boolean verbose, boolean compile)
            throws IOException {
        FunctionSpec spec = FunctionSpecs.forFunction(fn, config.baseDir());
        if (fn.skipBuild()) {
            cli.out().println("Skipping build: " + fn.name() + " (skip_build: true)");
            return new Built(fn, spec, null, null);
        }
        Path dir = fn.handler().resolveDir(config.baseDir());
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(config.displayName() + ":" + fn.line() + ": function " + fn.name()
                    + ": handler.dir '" + fn.handler().dir() + "' is not a directory (" + dir + ")");
        }
        cli.out().println("Building: " + fn.name() + " (" + fn.runtime() + ", " + fn.handler().dir() + ")");
        SourcePackager.Package pkg = SourcePackager.zip(dir);
        if (verbose) {
            pkg.files().forEach(f -> cli.out().println("  + " + f));
            cli.out().println("  " + pkg.files().size() + " files, " + pkg.zip().length + " bytes zipped");
        }
        if (compile) {
            check(cli, fn, dir, verbose);
        }
        return new Built(fn, spec, Artifact.newBuilder().setSourceZip(ByteString.copyFrom(pkg.zip())).build(), dir);
    }

    private static void check(Cli cli, FunctionConfig fn, Path dir, boolean verbose) throws IOException {
        Optional<FunctionRuntime> runtime = Configs.runtime(cli, fn.runtime());
        if (runtime.map(r -> r.watcher() == FunctionRuntime.Watcher.JAVA).orElse(false)) {
            JavaCompileCheck.Result result = JavaCompileCheck.compile(dir);
            if (!result.ok()) {
                result.messages().forEach(cli.err()::println);
                throw new CliException(ExitCode.GATEWAY, "build of " + fn.name() + " failed: it does not compile");
            }
            if (verbose) {
                result.messages().forEach(m -> cli.out().println("  " + m));
                result.classes().forEach(c -> cli.out().println("  compiled " + c));
            }
            if (!result.classes().contains(fn.handler().name())) {
                throw new CliException(ExitCode.GATEWAY, "build of " + fn.name() + " failed: handler class "
                        + fn.handler().name() + " not found among the compiled classes " + result.classes());
            }
            return;
        }
        String file = fn.handler().file().isEmpty()
                ? runtime.map(FunctionRuntime::handlerFile).orElse("") : fn.handler().file();
        if (!file.isEmpty() && !Files.isRegularFile(dir.resolve(file))) {
            throw new CliException(ExitCode.GATEWAY, "build of " + fn.name() + " failed: handler file " + file
                    + " not found in " + fn.handler().dir());
        }
    }
}
