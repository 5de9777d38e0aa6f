package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.LoadReply;
import io.dcf.proto.v1.LoadRequest;
import io.dcf.proto.v1.StatsReply;
import io.dcf.proto.v1.StatsRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.BiConsumer;

/** {@code dcf.v1.Watcher}: admits calls and hands them to the loaded handler; tells its counters. */
final class WatcherGrpcService extends WatcherGrpc.WatcherImplBase {

    private final Admission admission;
    private final CallStats stats;
    private volatile HandlerInvoker invoker;
    private volatile BiConsumer<LoadRequest, StreamObserver<LoadReply>> loads;

    WatcherGrpcService(Admission admission, CallStats stats) {
        this.admission = requireNonNull(admission, "admission");
        this.stats = requireNonNull(stats, "stats");
    }

    /** The handler is loaded: calls may start. */
    void serve(HandlerInvoker invoker) {
        this.invoker = requireNonNull(invoker, "invoker");
        admission.serving();
    }

    @Override
    public void call(CallRequest request, StreamObserver<CallReply> responseObserver) {
        Status admitted = admission.tryEnter();
        if (!admitted.isOk()) {
            responseObserver.onError(Statuses.toException(admitted));
            return;
        }
        invoker.call(request, (ServerCallStreamObserver<CallReply>) responseObserver, admission::release);
    }

    @Override
    public StreamObserver<CallRequest> calls(StreamObserver<CallReply> responseObserver) {
        Status admitted = admission.tryEnterStream();
        if (!admitted.isOk()) {
            responseObserver.onError(Statuses.toException(admitted));
            return new Ignored();
        }
        return invoker.calls((ServerCallStreamObserver<CallReply>) responseObserver, admission::releaseStream);
    }

    /** Pool mode: {@code Load} goes to {@code loads} (which must not block: it runs on the event loop). */
    void acceptLoads(BiConsumer<LoadRequest, StreamObserver<LoadReply>> loads) {
        this.loads = requireNonNull(loads, "loads");
    }

    @Override
    public void load(LoadRequest request, StreamObserver<LoadReply> responseObserver) {
        BiConsumer<LoadRequest, StreamObserver<LoadReply>> accepting = loads;
        if (accepting == null) {
            responseObserver.onError(Status.FAILED_PRECONDITION.withDescription("this watcher was started for its"
                    + " function, not in pool mode (DCF_POOL): it takes no Load").asRuntimeException());
            return;
        }
        accepting.accept(request, responseObserver);
    }

    @Override
    public void stats(StatsRequest request, StreamObserver<StatsReply> responseObserver) {
        responseObserver.onNext(stats.snapshot());
        responseObserver.onCompleted();
    }

    /** The requests of a refused stream. */
    private static final class Ignored implements StreamObserver<CallRequest> {
        @Override
        public void onNext(CallRequest value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
