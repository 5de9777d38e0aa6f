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
            // A stream is one request to Armeria: unbounded, or a fast machine's 300 ms of 64 KiB frames passes
            // the 10 MiB default and the server cancels the stream.
            sb.maxRequestLength(0).requestTimeoutMillis(0);
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
                "--function=echo", "--concurrency=4", "--warmup=200ms", "--duration=300ms", "--rounds=1",
                "--stream-frames=65536,100");

        List<PhaseResult> results = Bench.run(options, line -> { });

        assertThat(results).extracting(PhaseResult::scenario)
                           .containsExactly("direct gRPC", "gateway gRPC", "gateway HTTP (h1c)",
                                            "direct stream 64 KiB", "gateway stream 64 KiB",
                                            "direct stream 100 B", "gateway stream 100 B");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.requests()).isPositive();
            assertThat(result.errors()).isZero();
            assertThat(result.firstError()).isNull();
        });
        assertThat(results).filteredOn(PhaseResult::isStream).extracting(PhaseResult::frameBytes)
                           .containsExactly(65536, 65536, 100, 100);
        assertThat(Report.format(options, results)).contains("| gateway gRPC |", "| gateway HTTP (h1c) |", "x |",
                " generator |", "| gateway stream 64 KiB |", "| 100 B |", "CPU time per echoed frame");
    }

    @Test
    void run_failingFunction_countsErrorsAndKeepsTheFirst() throws InterruptedException {
        String authority = "127.0.0.1:" + echo.httpPort();
        BenchOptions options = BenchOptions.parse("--gateway=" + authority, "--function=missing", "--http=h2c",
                "--scenarios=grpc,http,stream", "--stream-frames=10", "--concurrency=2", "--warmup=0", "--duration=200ms", "--rounds=1");

        List<PhaseResult> results = Bench.run(options, line -> { });

        assertThat(results).extracting(PhaseResult::scenario)
                           .containsExactly("gateway gRPC", "gateway HTTP (h2c)", "gateway stream 10 B");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.requests()).isZero();
            assertThat(result.errors()).isPositive();
        });
        assertThat(results.get(0).firstError()).contains("NOT_FOUND");
        assertThat(results.get(1).firstError()).contains("HTTP 404");
        // the stream's status races with its still-sending request side: NOT_FOUND, or UNKNOWN from the abort
        assertThat(results.get(2).firstError()).startsWith("StatusRuntimeException");
    }

    @Test
    void run_rate_sendsNoMoreCallsThanTheScheduleHolds() throws InterruptedException {
        String authority = "127.0.0.1:" + echo.httpPort();
        // 20 calls/s for 1 s: 20 calls are due; a closed loop of 4 slots on loopback sends far more
        BenchOptions options = BenchOptions.parse("--direct=" + authority, "--gateway=" + authority,
                "--function=echo", "--scenarios=direct,grpc,http", "--rate=20", "--concurrency=4", "--warmup=0",
                "--duration=1s", "--rounds=1");

        List<PhaseResult> results = Bench.run(options, line -> { });

        assertThat(results).extracting(PhaseResult::scenario)
                           .containsExactly("direct gRPC", "gateway gRPC", "gateway HTTP (h1c)");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.requests()).isBetween(1L, 20L);
            assertThat(result.errors()).isZero();
        });
        assertThat(Report.format(options, results)).startsWith("unary calls paced at 20/s, at most 4 in flight");
    }

    private static final class EchoWatcher extends WatcherGrpc.WatcherImplBase {
        @Override
        public void call(CallRequest request, StreamObserver<CallReply> replies) {
            replies.onNext(CallReply.newBuilder().setOutput(request.getInput()).build());
            replies.onCompleted();
        }

        @Override
        public StreamObserver<CallRequest> calls(StreamObserver<CallReply> replies) {
            return new Echo<>(replies, request -> CallReply.newBuilder().setOutput(request.getInput()).build());
        }
    }

    /** Echoes each request as it comes; fails the stream when the function is not "echo". */
    private record Echo<Q, R>(StreamObserver<R> replies, java.util.function.Function<Q, R> echo)
            implements StreamObserver<Q> {
        @Override
        public void onNext(Q request) {
            replies.onNext(echo.apply(request));
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
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

        @Override
        public StreamObserver<InvokeRequest> invokes(StreamObserver<InvokeReply> replies) {
            return new StreamObserver<>() {
                private boolean failed;

                @Override
                public void onNext(InvokeRequest request) {
                    if (failed) {
                        return;
                    }
                    if (!request.getFunction().equals("echo")) {
                        failed = true;
                        replies.onError(Status.NOT_FOUND.withDescription("no function " + request.getFunction())
                                                        .asRuntimeException());
                        return;
                    }
                    replies.onNext(InvokeReply.newBuilder().setOutput(request.getInput()).build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    if (!failed) {
                        replies.onCompleted();
                    }
                }
            };
        }
    }
}
