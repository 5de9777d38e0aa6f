package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayOptions;
import io.dcf.cli.config.ConfigFile;
import io.dcf.cli.config.FunctionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code dcf function build -f config.yaml}: on a gateway with build-service, build each
 * function's image there; with {@code --builder jib}, build it here straight to a registry;
 * otherwise package and check locally, sending nothing.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build each function of config.yaml.",
            "When the gateway names a build-service (Kubernetes), the handler directory goes there as a tar.gz "
                + "and the image it pushes is printed by digest, with the build's phases, upload, layers and log "
                + "shown live (Ctrl-C cancels the build). With --builder jib the image is built here and pushed "
                + "to --registry (no Docker, no gateway). Otherwise each function is packaged and checked locally "
                + "(Java handlers compiled against function-sdk, Python handlers must have their handler file) "
                + "and nothing is sent."},
        footerHeading = "%n",
        footer = {"Examples:", "  dcf function build -f config.yaml",
            "  dcf function build -f config.yaml -v --function hello-java",
            "  dcf function build --builder jib --registry 127.0.0.1:5000 --insecure-registry \\",
            "      --base-image tar:///tmp/dcf-java-base.tar",
            "  IMAGE=$(dcf function build -q --function hello-java)"})
final class BuildCommand implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    private ConfigSelection selection;

    @Mixin
    private BuildOptions build;

    @Mixin
    private GatewayOptions gateway;

    BuildCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        ConfigFile config = selection.load(cli);
        List<FunctionConfig> functions = selection.select(config);
        BuildDisplay display = build.display(cli);
        if (build.builder == BuildOptions.Builder.jib) {
            for (FunctionConfig fn : functions) {
                FunctionBuild.Built built = FunctionBuild.build(build.packaging(cli), config, fn,
                        selection.verbose(), false);
                if (built.artifact() != null) {
                    JibBuild.run(cli, built, build, display);
                }
            }
            return ExitCode.OK;
        }
        Optional<BuildServiceClient> service = build.builder == BuildOptions.Builder.local ? Optional.empty()
                : GatewayBuildService.find(cli, gateway, selection.path(cli),
                        build.builder == BuildOptions.Builder.service, build.buildService);
        if (service.isEmpty()) {
            checkLocally(config, functions);
            return ExitCode.OK;
        }
        try (BuildServiceClient client = service.get()) {
            for (FunctionConfig fn : functions) {
                FunctionBuild.Built built = FunctionBuild.build(build.packaging(cli), config, fn,
                        selection.verbose(), false);
                if (built.artifact() != null) {
                    ServiceBuild.run(cli, client, built, "", build.repository(fn.name()), display);
                }
            }
        }
        return ExitCode.OK;
    }

    private void checkLocally(ConfigFile config, List<FunctionConfig> functions) throws Exception {
        for (FunctionConfig fn : functions) {
            FunctionBuild.Built built = FunctionBuild.build(cli, config, fn, selection.verbose(), true);
            if (built.artifact() != null) {
                cli.out().println("Built: " + fn.name());
            }
        }
    }
}
