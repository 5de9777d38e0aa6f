package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.HandlerRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import com.google.protobuf.ByteString;
import io.dcf.proto.v1.InvokeRequest;
import java.util.List;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python functions in local mode: the Python watcher as a child process, per-function venvs. */
class PythonFunctionIT {

    @TempDir
    static Path tmp;

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(tmp.resolve("home"));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static Path pythonFunction(String dir, String handler, String requirements) throws IOException {
        Path path = Files.createDirectories(tmp.resolve(dir));
        Files.writeString(path.resolve("handler.py"), handler);
        Files.writeString(path.resolve("requirements.txt"), requirements);
        return path;
    }

    private static FunctionSpec.Builder python() {
        return FunctionSpec.newBuilder().setRuntime("python")
                .setHandler(HandlerRef.newBuilder().setFile("handler.py").setName("Handler"));
    }

    @Test
    void pythonHandler_servesOverHttp() throws IOException {
        Path src = pythonFunction("hello-py", "def Handler(req):\n    return req.input\n", "# nothing\n");
        FunctionStatus status = gw.deploy("hello-py", src, python());
        assertThat(status.getReadyReplicas()).isEqualTo(1);
        HttpResponse<byte[]> response = gw.post("/function/hello-py", "Hello, DCF!\n".getBytes(StandardCharsets.UTF_8), null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("Hello, DCF!\n");
    }

    @Test
    void generatorHandler_streamsThroughTheGateway() throws Exception {
        Path src = pythonFunction("gen-py", """
                class Handler:
                    def __init__(self):
                        self.prefix = b"frame-"

                    def __call__(self, req):
                        for part in (b"1", b"2", b"3"):
                            yield self.prefix + req.input + b"-" + part
                """, "");
        gw.deploy("gen-py", src, python());
        List<String> received = gw.invokes(List.of(
                InvokeRequest.newBuilder().setFunction("gen-py").setInput(ByteString.copyFromUtf8("a")).build(),
                InvokeRequest.newBuilder().setInput(ByteString.copyFromUtf8("b")).build()));
        assertThat(received).containsExactly("frame-a-1", "frame-a-2", "frame-a-3", "frame-b-1", "frame-b-2", "frame-b-3");
    }

    @Test
    void requirements_areInstalledIntoTheFunctionsOwnVenv() throws IOException {
        Path src = pythonFunction("venv-py", """
                import sys
                def Handler(req):
                    return sys.prefix
                """, "# grpcio is already there (system site packages), so pip needs no network\ngrpcio\n");
        gw.deploy("venv-py", src, python());
        HttpResponse<byte[]> response = gw.post("/function/venv-py", new byte[0], null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).endsWith("/functions/venv-py/gen-1/venv");
    }

    @Test
    void uninstallableRequirement_isNamedInTheError() throws IOException {
        Path src = pythonFunction("bad-req", "def Handler(req):\n    return b''\n", "dcf-no-such-package-xyz==9.9\n");
        assertThatThrownBy(() -> gw.deploy("bad-req", src, python()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .contains("function bad-req").contains("requirements.txt")
                            .contains("dcf-no-such-package-xyz");
                });
        assertThat(tmp.resolve("home/functions/bad-req")).doesNotExist();
    }

    @Test
    void handlerThatFailsToImport_failsTheDeployWithItsLog() throws IOException {
        Path src = pythonFunction("broken-py", "import no_such_module_dcf\ndef Handler(req):\n    return b''\n", "");
        assertThatThrownBy(() -> gw.deploy("broken-py", src, python()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("broken-py").contains("no_such_module_dcf");
                });
    }

    @Test
    void missingHandlerFile_isRejected() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("empty-py"));
        assertThatThrownBy(() -> gw.deploy("empty-py", src, python()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("handler.file").contains("handler.py");
                });
    }

    @Test
    void goRuntime_saysItDoesNotRunLocally() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("go-fn"));
        Files.writeString(src.resolve("handler.go"), "package main\n");
        assertThatThrownBy(() -> gw.deploy("go-fn", src, FunctionSpec.newBuilder().setRuntime("go")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("does not run in local mode");
                });
    }
}
