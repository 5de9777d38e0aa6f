package io.dcf.gateway.function;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.DeployEvent;
import io.dcf.proto.v1.DeployFollowRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionStatus;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code DeployFollow} call: the deploy or update runs on the request's blocking executor
 * (never on the event loop) and every event it makes goes to the caller as it happens, the
 * function's status last; an error ends the stream with the status the unary call would have
 * (one table: {@link ErrorMapping}). A caller that cancels only stops the events: the deploy
 * runs on to its end, so it is deployed as a whole or not at all, never half.
 */
public final class DeployStream implements DeployListener {

    private static final Logger log = LoggerFactory.getLogger(DeployStream.class);

    private final ServerCallStreamObserver<DeployEvent> call;
    private final String function;
    private volatile boolean cancelled;
    private boolean ended;

    private DeployStream(ServerCallStreamObserver<DeployEvent> call, String function) {
        this.call = call;
        this.function = function;
    }

    /** Starts {@code request}'s deploy or update with {@code functions}, answering {@code observer}. */
    public static void start(FunctionService functions, DeployFollowRequest request,
                             StreamObserver<DeployEvent> observer) {
        DeployRequest deploy = request.getRequest();
        DeployStream stream = new DeployStream((ServerCallStreamObserver<DeployEvent>) observer,
                deploy.getSpec().getName());
        stream.call.setOnCancelHandler(stream::onCancel);
        ServiceRequestContext.current().blockingTaskExecutor().execute(() -> {
            FunctionStatus status;
            try {
                status = request.getUpdate()
                        ? functions.update(deploy.getSpec(),
                                deploy.hasArtifact() ? Optional.of(deploy.getArtifact()) : Optional.empty(), stream)
                        : functions.deploy(deploy.getSpec(), deploy.getArtifact(), stream);
            } catch (RuntimeException e) {
                Status error = ErrorMapping.toStatus(e);
                if (error.getCode() == Status.Code.INTERNAL) {
                    log.error("DeployFollow of function={} failed", stream.function, e);
                }
                stream.end(error);
                return;
            }
            stream.send(DeployEvent.newBuilder().setStatus(status).build());
            stream.end(Status.OK);
        });
    }

    @Override
    public void event(BuildEvent event) {
        send(DeployEvent.newBuilder().setBuild(event).build());
    }

    @Override
    public void deploying(String what) {
        send(DeployEvent.newBuilder().setDeploying(what).build());
    }

    private void onCancel() {
        cancelled = true;
        log.info("DeployFollow of function={}: the caller went away; the deploy goes on to its end", function);
    }

    private synchronized void send(DeployEvent event) {
        if (ended || cancelled) {
            return;
        }
        try {
            call.onNext(event);
        } catch (RuntimeException e) { // cancelled between the check and the send
            log.debug("DeployFollow of function={}: event not sent: {}", function, e.toString());
        }
    }

    private synchronized void end(Status status) {
        if (ended || cancelled) {
            ended = true;
            return;
        }
        ended = true;
        try {
            if (status.isOk()) {
                call.onCompleted();
            } else {
                call.onError(status.asRuntimeException());
            }
        } catch (RuntimeException e) {
            log.debug("DeployFollow of function={}: end not sent: {}", function, e.toString());
        }
    }
}
