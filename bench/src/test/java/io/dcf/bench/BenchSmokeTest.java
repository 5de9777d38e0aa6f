package io.dcf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the generator briefly against in-process echo targets. Counts, never timings. */
class BenchSmokeTest {

    @RegisterExtension
    static final ServerExtension echo = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.service(GrpcService.builder().addService(new EchoWatcher()).addService(new EchoGateway()).build());
            sb.service("prefix:/function/", (ctx, req) -> HttpResponse.of(
                    req.aggregate().thenApply(agg -> agg.path().equals("/function/echo")
                            ? HttpResponse.of(HttpStatus.OK, agg.contentType(), agg.content())
                            : HttpResponse.of(HttpStatus.NOT_FOUND))));
        }
    };

    @Test
    void run_echoTargets_countsRequestsOfEveryScenarioWithoutErrors() throws InterruptedException {
        String authority = "127.0.0.1:" + echo.httpPort();
        BenchOptions options = BenchOptions.parse("--direct=" + authority, "--gateway=" + authority,
                "--function=echo", "--concurrency=4", "--warmup=200ms", "--duration=300ms", "--rounds=1");

        List<PhaseResult> results = Bench.run(options, line -> { });

        assertThat(results).extracting(PhaseResult::scenario)
                           .containsExactly("direct gRPC", "gateway gRPC", "gateway HTTP (h1c)");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.requests()).isPositive();
            assertThat(result.errors()).isZero();
            assertThat(result.firstError()).isNull();
        });
        assertThat(Report.format(options, results)).contains("| gateway gRPC |", "| gateway HTTP (h1c) |", "x |", " generator |");
    }

    @Test
    void run_failingFunction_countsErrorsAndKeepsTheFirst() throws InterruptedException {
        String authority = "127.0.0.1:" + echo.httpPort();
        BenchOptions options = BenchOptions.parse("--gateway=" + authority, "--function=missing", "--http=h2c",
                "--concurrency=2", "--warmup=0", "--duration=200ms", "--rounds=1");

        List<PhaseResult> results = Bench.run(options, line -> { });

        assertThat(results).extracting(PhaseResult::scenario).containsExactly("gateway gRPC", "gateway HTTP (h2c)");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.requests()).isZero();
            assertThat(result.errors()).isPositive();
        });
        assertThat(results.get(0).firstError()).contains("NOT_FOUND");
        assertThat(results.get(1).firstError()).contains("HTTP 404");
    }

    private static final class EchoWatcher extends WatcherGrpc.WatcherImplBase {
        @Override
        public void call(CallRequest request, StreamObserver<CallReply> replies) {
            replies.onNext(CallReply.newBuilder().setOutput(request.getInput()).build());
            replies.onCompleted();
        }
    }

    private static final class EchoGateway extends GatewayGrpc.GatewayImplBase {
        @Override
        public void invoke(InvokeRequest request, StreamObserver<InvokeReply> replies) {
            if (!request.getFunction().equals("echo")) {
                replies.onError(Status.NOT_FOUND.withDescription("no function " + request.getFunction())
                                                .asRuntimeException());
                return;
            }
            replies.onNext(InvokeReply.newBuilder().setOutput(request.getInput()).build());
            replies.onCompleted();
        }
    }
}
