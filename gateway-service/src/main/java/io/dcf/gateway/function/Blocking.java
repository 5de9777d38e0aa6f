package io.dcf.gateway.function;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.gateway.error.ErrorMapping;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs blocking management work off the event loop and answers a unary gRPC call. */
public final class Blocking {

    private static final Logger log = LoggerFactory.getLogger(Blocking.class);

    private Blocking() {
    }

    /** Runs {@code work} on the request's blocking executor; its value or error answers the call. */
    public static <T> void unary(StreamObserver<T> observer, Supplier<T> work) {
        ServiceRequestContext.current().blockingTaskExecutor().execute(() -> {
            T value;
            try {
                value = work.get();
            } catch (RuntimeException e) {
                io.grpc.Status status = ErrorMapping.toStatus(e);
                if (status.getCode() == io.grpc.Status.Code.INTERNAL) {
                    log.error("Management call failed", e);
                }
                observer.onError(status.asRuntimeException());
                return;
            } catch (Error e) { // a broken class path or a bug: the caller gets INTERNAL now, not its deadline
                log.error("Management call failed", e);
                observer.onError(io.grpc.Status.INTERNAL.withDescription("internal error").asRuntimeException());
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                return;
            }
            observer.onNext(value);
            observer.onCompleted();
        });
    }
}
