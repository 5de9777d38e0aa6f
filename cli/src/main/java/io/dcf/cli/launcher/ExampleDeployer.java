package io.dcf.cli.launcher;

import io.dcf.cli.CliException;
import io.dcf.cli.GatewayClient;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Deploys {@code examples/hello-java} when no function of that name exists, and waits until it is ready. */
final class ExampleDeployer {

    static final String NAME = "hello-java";

    private ExampleDeployer() {
    }

    static DeployRequest request(Path repo) {
        Path dir = repo.resolve("examples").resolve(NAME).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw CliException.usage("the example " + dir + " is missing (pass --no-examples to skip it)");
        }
        return DeployRequest.newBuilder()
                .setSpec(FunctionSpec.newBuilder()
                        .setName(NAME)
                        .setRuntime("java")
                        .setHandler(HandlerRef.newBuilder().setName("Handler"))
                        .setDescription("Echoes its input"))
                .setArtifact(Artifact.newBuilder().setLocalPath(dir.toString()))
                .build();
    }

    /**
     * Deploys the example unless a function of its name exists (a user's own function of
     * that name is never replaced), then waits until it is ready. True when it deployed.
     */
    static boolean deployIfAbsent(GatewayClient client, Path repo, Duration limit) throws InterruptedException {
        DeployRequest request = request(repo);
        try {
            client.call(NAME, GatewayClient.DEFAULT_DEADLINE,
                    stub -> stub.get(GetRequest.newBuilder().setName(NAME).build()));
            return false;
        } catch (CliException e) {
            if (!GatewayClient.isNotFound(e)) {
                throw e;
            }
        }
        client.call(NAME, GatewayClient.DEPLOY_DEADLINE, stub -> stub.deploy(request));
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            FunctionStatus status = client.call(NAME, GatewayClient.DEFAULT_DEADLINE,
                    stub -> stub.get(GetRequest.newBuilder().setName(NAME).build()));
            if (status.getReadyReplicas() >= 1) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                throw CliException.gateway("function " + NAME + " is not ready after " + limit.toSeconds()
                        + " s; see ./dcf function logs " + NAME);
            }
            Thread.sleep(250);
        }
    }
}
