package io.dcf.cli.function;

import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.proto.v1.DeployEvent;
import io.dcf.proto.v1.DeployFollowRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionStatus;

import java.util.Iterator;

/**
 * A Deploy or Update through the gateway's {@code DeployFollow}: the build the gateway makes is
 * shown as it goes (phases, log lines such as the compiler's errors or pip's output, progress)
 * by a {@link BuildDisplay}, then the moment it deploys; the function's status is returned. A
 * gateway that does not serve {@code DeployFollow} (UNIMPLEMENTED: an older one) gets the
 * unary call, then and for the rest of the command.
 */
final class FollowedDeploy {

    private final BuildDisplay display;
    private boolean unary;

    FollowedDeploy(BuildDisplay display) {
        this.display = display;
    }

    FunctionStatus deploy(GatewayClient client, DeployRequest request) {
        return run(client, request, false);
    }

    FunctionStatus update(GatewayClient client, DeployRequest request) {
        return run(client, request, true);
    }

    private FunctionStatus run(GatewayClient client, DeployRequest request, boolean update) {
        String name = request.getSpec().getName();
        if (!unary) {
            DeployFollowRequest follow = DeployFollowRequest.newBuilder().setRequest(request).setUpdate(update).build();
            try {
                return client.call(name, GatewayClient.DEPLOY_DEADLINE, stub -> follow(name, stub.deployFollow(follow)));
            } catch (CliException e) {
                if (!GatewayClient.isUnimplemented(e)) {
                    throw e;
                }
                unary = true;
            }
        }
        return client.call(name, GatewayClient.DEPLOY_DEADLINE,
                stub -> update ? stub.update(request) : stub.deploy(request));
    }

    private FunctionStatus follow(String name, Iterator<DeployEvent> events) {
        String build = "";
        FunctionStatus status = null;
        while (events.hasNext()) {
            DeployEvent event = events.next();
            switch (event.getEventCase()) {
                case BUILD -> {
                    if (!event.getBuild().getId().equals(build)) {
                        build = event.getBuild().getId();
                        display.accepted(build);
                    }
                    display.event(event.getBuild());
                }
                case DEPLOYING -> display.deploying(event.getDeploying());
                case STATUS -> status = event.getStatus();
                default -> {
                }
            }
        }
        if (status == null) {
            throw new CliException(ExitCode.GATEWAY, "the gateway ended the deploy of " + name
                    + " without the function's status");
        }
        return status;
    }
}
