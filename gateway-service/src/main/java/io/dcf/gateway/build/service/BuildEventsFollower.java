package io.dcf.gateway.build.service;

import io.dcf.gateway.build.BuildListener;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildEventsRequest;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one build's {@code Builder.Events} until its {@code done} event, logging phases
 * and log lines at INFO with the function and the build's id (progress at DEBUG), and relaying
 * every event to a {@link BuildListener} (a DeployFollow's caller).
 */
final class BuildEventsFollower {

    private static final Logger log = LoggerFactory.getLogger(BuildEventsFollower.class);

    private BuildEventsFollower() {
    }

    /**
     * The build's final status.
     *
     * @throws io.grpc.StatusRuntimeException what ended the stream (the deadline, build-service gone)
     */
    static BuildStatus follow(BuilderGrpc.BuilderBlockingStub stub, String function, String id, Deadline deadline,
                              BuildListener listener) {
        // from ROOT: the deploy goes on when the gRPC call that asked for it is cancelled (only its deadline ends it)
        Context.CancellableContext context = Context.ROOT.withCancellation();
        Context previous = context.attach();
        try {
            Iterator<BuildEvent> events = stub.withDeadline(deadline)
                    .events(BuildEventsRequest.newBuilder().setId(id).build());
            BuildPhase phase = BuildPhase.BUILD_PHASE_UNSPECIFIED;
            while (events.hasNext()) {
                BuildEvent event = events.next();
                listener.event(event);
                if (event.getPhase() != phase) {
                    phase = event.getPhase();
                    log.info("Build function={} build={} phase={}", function, id, phaseName(phase));
                }
                switch (event.getDetailCase()) {
                    case LOG -> log.info("Build function={} build={} log: {}", function, id, event.getLog());
                    case PROGRESS -> log.debug("Build function={} build={} progress={}/{} {}", function, id,
                            event.getProgress().getDone(), event.getProgress().getTotal(),
                            event.getProgress().getUnit());
                    case DONE -> {
                        return event.getDone();
                    }
                    default -> {
                    }
                }
            }
            throw Status.UNAVAILABLE.withDescription("build-service ended the events of build " + id
                    + " before the build ended").asRuntimeException();
        } finally {
            context.detach(previous);
            context.cancel(null); // ends the call when we stop reading early
        }
    }

    /** {@code BUILD_PHASE_PUSHING} as {@code pushing}. */
    static String phaseName(BuildPhase phase) {
        return phase.name().substring("BUILD_PHASE_".length()).toLowerCase(java.util.Locale.ROOT);
    }
}
