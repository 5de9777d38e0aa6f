package io.dcf.cli.function;

import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** What a failed call to build-service tells the user: one line naming build-service and what was done. */
final class BuildServiceErrors {

    private BuildServiceErrors() {
    }

    static CliException of(StatusRuntimeException e, String address, String what) {
        Status status = e.getStatus();
        String detail = status.getDescription() == null || status.getDescription().isBlank()
                ? status.getCode().name() : status.getDescription();
        String message = switch (status.getCode()) {
            case UNAVAILABLE -> "cannot reach build-service at " + address + " (" + what + "): " + detail
                    + "; the gateway's Info names it (dcf.gateway.build-service.advertised-address)";
            case UNAUTHENTICATED, PERMISSION_DENIED -> "build-service at " + address + " refused the token ("
                    + what + "): " + detail + "; it takes the gateway's token (dcf login, --token-file)";
            case DEADLINE_EXCEEDED -> "build-service at " + address + ": " + what + " did not finish within "
                    + BuildServiceClient.BUILD_DEADLINE.toMinutes() + " minutes";
            default -> what + ": " + detail;
        };
        return new CliException(ExitCode.GATEWAY, message, e);
    }
}
