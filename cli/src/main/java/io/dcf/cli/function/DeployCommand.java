package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.cli.config.ConfigFile;
import io.dcf.cli.config.Durations;
import io.dcf.cli.config.FunctionConfig;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GetRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code dcf function create|deploy -f config.yaml}: build, then update or deploy each function. On a
 * gateway with build-service (Kubernetes) that is build + push + deploy of the digest, each phase shown;
 * in local mode the handler directory goes to the gateway, which builds it while the CLI shows its
 * build's events on stderr ({@link FollowedDeploy}); stdout keeps the result lines.
 */
@Command(name = "create", aliases = "deploy", mixinStandardHelpOptions = true,
        description = "Build and deploy each function of config.yaml: update it when the gateway has it, "
                + "deploy it otherwise. On a gateway with build-service (Kubernetes) each function is built "
                + "there first and its image deployed by digest; in local mode the gateway builds it. "
                + "'create' and 'deploy' are the same command.",
        footerHeading = "%n",
        footer = {"Examples:",
            "  dcf function create -f config.yaml",
            "  dcf function deploy -f config.yaml -v --function hello-dcf --wait"})
final class DeployCommand implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    private ConfigSelection selection;

    @Option(names = "--wait", description = "Wait until each function has a ready replica.")
    private boolean await;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long --wait waits per function. Default: ${DEFAULT-VALUE}.")
    private String waitTimeout;

    @Mixin
    private GatewayOptions gateway;

    @Mixin
    private BuildOptions build;

    DeployCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        ConfigFile config = selection.load(cli);
        Duration waitFor = Args.duration(waitTimeout, "--wait-timeout");
        BuildDisplay display = build.display(cli);
        FollowedDeploy deploys = new FollowedDeploy(build.display(cli.err()));
        try (GatewayClient client = gateway.connect(cli, selection.path(cli));
             BuildServiceClient service = buildService(client)) {
            for (FunctionConfig fn : selection.select(config)) {
                FunctionBuild.Built built = buildImage(FunctionBuild.build(build.packaging(cli), config, fn,
                        selection.verbose(), false), service, display);
                deploy(client, deploys, built);
                if (await) {
                    awaitReady(client, fn.name(), waitFor);
                }
            }
        }
        return ExitCode.OK;
    }

    /** The gateway's build-service when functions are built there; null when the gateway builds (local mode). */
    private BuildServiceClient buildService(GatewayClient client) {
        if (build.builder == BuildOptions.Builder.local || build.builder == BuildOptions.Builder.jib) {
            return null;
        }
        BuildServiceClient service = build.buildService != null && !build.buildService.isBlank()
                ? BuildServiceClient.connect(build.buildService, gateway.token(cli, client.address()))
                : GatewayBuildService.of(cli, gateway, client).orElse(null);
        if (service == null && build.builder == BuildOptions.Builder.service) {
            throw CliException.usage("the DCF gateway at " + client.address() + " has no build-service (in local mode"
                    + " it builds on deploy); use --builder auto, jib or local");
        }
        return service;
    }

    /** With build-service or Jib: the function's image built and pushed, the spec naming its digest, no code sent. */
    private FunctionBuild.Built buildImage(FunctionBuild.Built built, BuildServiceClient service,
                                           BuildDisplay display) throws Exception {
        if (built.artifact() == null) {
            return built;
        }
        String image;
        if (service != null) {
            image = ServiceBuild.run(cli, service, built, "", build.repository(built.function().name()), display);
        } else if (build.builder == BuildOptions.Builder.jib) {
            image = JibBuild.run(cli, built, build, display);
        } else {
            return built;
        }
        return new FunctionBuild.Built(built.function(), built.spec().toBuilder().setImage(image).build(), null,
                built.dir());
    }

    /** The largest zipped handler directory sent in one deploy call (the gateway accepts 64 MiB messages). */
    static final int MAX_ZIP_BYTES = 60 << 20;

    private void deploy(GatewayClient client, FollowedDeploy deploys, FunctionBuild.Built built) {
        String name = built.function().name();
        DeployRequest.Builder request = DeployRequest.newBuilder().setSpec(built.spec());
        Artifact artifact = sendable(client, built);
        if (artifact != null) {
            request.setArtifact(artifact);
        }
        cli.out().println("Deploying: " + name);
        try {
            deploys.update(client, request.build());
            cli.out().println("Function " + name + " already exists, attempting rolling-update.");
        } catch (CliException e) {
            if (!GatewayClient.isNotFound(e)) {
                throw e;
            }
            cli.out().println("Attempting update... but Function Not Found. Deploying Function...");
            deploys.deploy(client, request.build());
        }
        cli.out().println("http trigger url: " + client.address().httpUrl() + "/function/" + name);
    }

    /**
     * The code to send: the zipped handler directory, or, when that is too large for one
     * call and the gateway runs on this machine, the directory's path for it to copy.
     */
    private Artifact sendable(GatewayClient client, FunctionBuild.Built built) {
        Artifact artifact = built.artifact();
        if (artifact == null || artifact.getSourceZip().size() <= MAX_ZIP_BYTES) {
            return artifact;
        }
        String name = built.function().name();
        long mib = artifact.getSourceZip().size() >> 20;
        if (!client.address().isLoopback()) {
            throw new CliException(ExitCode.USAGE, "function " + name + ": its handler directory zips to " + mib
                    + " MiB, more than the " + (MAX_ZIP_BYTES >> 20) + " MiB one deploy may carry to a remote"
                    + " gateway; keep large model files out of handler.dir");
        }
        cli.out().println("Sending: " + name + " as a local path (" + mib + " MiB zipped is too large to send)");
        return Artifact.newBuilder().setLocalPath(built.dir().toAbsolutePath().toString()).build();
    }

    private void awaitReady(GatewayClient client, String name, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            FunctionStatus status = client.call(name, GatewayClient.DEFAULT_DEADLINE,
                    stub -> stub.get(GetRequest.newBuilder().setName(name).build()));
            if (status.getReadyReplicas() >= 1) {
                cli.out().println("Function " + name + " is ready.");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw CliException.gateway("function " + name + " is not ready after " + Durations.format(limit)
                        + FunctionStatuses.lastMessage(status) + "; see dcf function logs " + name);
            }
            Thread.sleep(250);
        }
    }
}
