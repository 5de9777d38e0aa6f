package io.dcf.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BlockingTest {

    @Test
    void value_answersTheCall() throws Exception {
        assertThat(run(() -> "done").get(10, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void domainError_answersWithItsCode() {
        assertThat(failure(() -> {
            throw new FunctionNotFoundException("ghost");
        }).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void error_answersInternal_insteadOfLeavingTheCallerToItsDeadline() {
        Status status = failure(() -> {
            throw new NoSuchMethodError("io.dcf.proto.v1.ScaleSpec.getMode()");
        });
        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).isEqualTo("internal error").doesNotContain("ScaleSpec");
    }

    private static Status failure(Supplier<String> work) {
        CompletableFuture<String> answer = run(work);
        Throwable error = answer.handle((value, e) -> e).join();
        return Status.fromThrowable(error);
    }

    private static CompletableFuture<String> run(Supplier<String> work) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        ServiceRequestContext ctx = ServiceRequestContext.of(HttpRequest.of(HttpMethod.POST, "/dcf.v1.Gateway/Get"));
        try (SafeCloseable ignored = ctx.push()) {
            Blocking.unary(new StreamObserver<String>() {
                private String value;

                @Override
                public void onNext(String v) {
                    value = v;
                }

                @Override
                public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    answer.complete(value);
                }
            }, work);
        }
        return answer.orTimeout(30, TimeUnit.SECONDS);
    }
}
