package io.dcf.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.LoadRequest;
import io.dcf.proto.v1.StatsRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python watcher in pool mode (DCF_POOL=true): one Load makes a waiting process a replica. */
class PooledPythonWatcherIT {

    private static final Metadata.Key<String> REFUSED = Metadata.Key.of("dcf-refused", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    Path dir;

    private WatcherProcess watcher;
    private WatcherGrpc.WatcherBlockingStub stub;

    @BeforeEach
    void startPooled() throws Exception {
        Files.createDirectories(dir.resolve("fn"));
        Files.writeString(dir.resolve("fn/handler.py"), """
                import os

                GREETING = os.environ.get("GREETING", "<unset>")  # read at import: the Load set it before

                def Handler(req):
                    return "%s:%s:%s" % (os.environ["DCF_FUNCTION_NAME"], GREETING, req.input.decode())
                """);
        Files.writeString(dir.resolve("fn/broken.py"), """
                def Handler(req)
                    return req.input
                """);
        watcher = WatcherProcess.start(dir, Map.of("DCF_POOL", "true", "DCF_FUNCTION_NAME", "pool-python-1",
                "DCF_REPLICA_SECRET_STDIN", "true", "DCF_MAX_CONCURRENCY", "4"));
        watcher.process().getOutputStream().write("py-pool\n".getBytes(StandardCharsets.US_ASCII));
        watcher.process().getOutputStream().flush();
        Metadata secret = new Metadata();
        secret.put(Metadata.Key.of("dcf-replica-secret", Metadata.ASCII_STRING_MARSHALLER), "py-pool");
        stub = watcher.watcher().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(secret));
    }

    @AfterEach
    void stop() {
        watcher.close();
    }

    @Test
    void waiting_answersNotServingAndStats_refusesCallsAsLoading() {
        StatusRuntimeException refused = catchThrowableOfType(() -> stub.call(request("early")),
                StatusRuntimeException.class);

        assertThat(watcher.health("")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getTrailers().get(REFUSED)).isEqualTo("loading");
        assertThat(stub.stats(StatsRequest.getDefaultInstance()).getMaxConcurrency()).isEqualTo(4);
        assertThat(watcher.stderr()).contains("function=pool-python-1 listening on 127.0.0.1:")
                .contains("waiting in the warm pool for a Load");
    }

    @Test
    void load_setsTheEnvironmentBeforeTheImport_andServesOnce() {
        StatusRuntimeException withoutSecret = catchThrowableOfType(() -> watcher.watcher().load(load("handler.py")),
                StatusRuntimeException.class);

        stub.load(load("handler.py"));
        String answer = stub.call(request("hi")).getOutput().toStringUtf8();
        StatusRuntimeException second = catchThrowableOfType(() -> stub.load(load("handler.py")),
                StatusRuntimeException.class);

        assertThat(withoutSecret.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(watcher.health("")).isEqualTo(ServingStatus.SERVING);
        assertThat(answer).isEqualTo("greeter:hello:hi");
        assertThat(second.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(second.getStatus().getDescription()).contains("already took function greeter");
    }

    @Test
    void loadOfASyntaxError_failsWithTheStartUpMessage_andExitsThree() throws Exception {
        StatusRuntimeException failed = catchThrowableOfType(() -> stub.load(load("broken.py")),
                StatusRuntimeException.class);

        assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(failed.getStatus().getDescription()).startsWith("function greeter cannot load handler Handler from")
                .contains("broken.py", "SyntaxError");
        assertThat(watcher.awaitExit()).isEqualTo(3);
        assertThat(watcher.stderr()).contains("function=greeter cannot load handler Handler from")
                .contains("broken.py", "SyntaxError");
    }

    @Test
    void loadWithAnotherConcurrencyThanStarted_isRefused_andExitsTwo() throws Exception {
        LoadRequest other = load("handler.py").toBuilder().putContract("DCF_MAX_CONCURRENCY", "64").build();

        StatusRuntimeException refused = catchThrowableOfType(() -> stub.load(other), StatusRuntimeException.class);

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).contains("DCF_MAX_CONCURRENCY: 64 (expected: 4");
        assertThat(watcher.awaitExit()).isEqualTo(2);
    }

    private LoadRequest load(String file) {
        return LoadRequest.newBuilder()
                .putContract("DCF_FUNCTION_NAME", "greeter")
                .putContract("DCF_HANDLER", "Handler")
                .putContract("DCF_HANDLER_PATH", dir.resolve("fn").toString())
                .putContract("DCF_HANDLER_FILE", file)
                .putContract("DCF_MAX_CONCURRENCY", "4")
                .putEnvironment("GREETING", "hello")
                .setRuntime("python")
                .build();
    }

    private static CallRequest request(String input) {
        return CallRequest.newBuilder().setInput(ByteString.copyFromUtf8(input)).build();
    }
}
