package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * How functions are built (a picocli mixin of {@code build}, {@code create} and {@code deploy}):
 * where ({@code --builder}), where to push ({@code --registry}, {@code --base-image},
 * {@code --insecure-registry}) and how the build is shown ({@code --quiet}, {@code -o json}).
 */
final class BuildOptions {

    /** Where a function is built. */
    enum Builder {
        /** build-service when the gateway names one (Kubernetes), else as today (local check; the gateway builds). */
        auto,
        /** build-service, which the gateway must name. */
        service,
        /** Jib, in the CLI: compiled here, pushed to --registry, no Docker and no gateway needed. */
        jib,
        /** Only packaged and checked here; the gateway builds on deploy (local mode). */
        local
    }

    /** How a build is shown. */
    enum Output { text, json }

    @Option(names = "--builder", paramLabel = "BUILDER", defaultValue = "auto",
            description = "Where to build: auto (build-service when the gateway has one, else check locally), "
                    + "service, jib (here, straight to --registry) or local (check only). Default: ${DEFAULT-VALUE}.")
    Builder builder;

    @Option(names = "--build-service", paramLabel = "HOST:PORT",
            description = "The build-service to build with (and --builder service). Default: the one the gateway's "
                    + "Info names; with this option the gateway is not asked.")
    String buildService;

    @Option(names = "--registry", paramLabel = "REGISTRY",
            description = "Where images are pushed, e.g. 127.0.0.1:5000 (the image is REGISTRY/<function>). "
                    + "Required with --builder jib; with build-service, default its own registry.")
    String registry;

    @Option(names = "--base-image", paramLabel = "IMAGE",
            description = "The runtime's base image for --builder jib: a registry reference or tar:///path/base.tar "
                    + "(runtimes/base/make-jre-base.sh --watcher-jar ..., make-python-base.sh). Required with jib.")
    String baseImage;

    @Option(names = "--insecure-registry",
            description = "Allow --registry (and the base image's registry) over plain HTTP (--builder jib).")
    boolean insecureRegistry;

    @Option(names = {"-q", "--quiet"}, description = "Print only each image built (by digest); create and deploy "
            + "also hide the gateway's build events.")
    boolean quiet;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "How builds are shown: text, or json (one build event per line). Default: ${DEFAULT-VALUE}.")
    Output output;

    BuildDisplay display(Cli cli) {
        return display(cli.out());
    }

    /** How builds are shown on {@code out} (create and deploy show the gateway's builds on stderr). */
    BuildDisplay display(PrintStream out) {
        if (quiet && output == Output.json) {
            throw CliException.usage("--quiet and -o json do not go together");
        }
        return new BuildDisplay(out, quiet ? BuildDisplay.Mode.QUIET
                : output == Output.json ? BuildDisplay.Mode.JSON : BuildDisplay.Mode.TEXT);
    }

    /** The CLI whose standard output shows packaging lines: silenced with --quiet and -o json. */
    Cli packaging(Cli cli) {
        if (!quiet && output == Output.text) {
            return cli;
        }
        return new Cli(cli.in(), new PrintStream(OutputStream.nullOutputStream()), cli.err(), cli.env(), cli.cwd(),
                cli.stdinIsTty());
    }

    /** Where to push {@code function}: REGISTRY/function, or empty for build-service's choice. */
    String repository(String function) {
        return registry == null || registry.isBlank() ? "" : registry.replaceAll("/+$", "") + "/" + function;
    }
}
